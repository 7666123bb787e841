import { seededRandom } from './seeded-random';
import type { RunningSystem } from './system';

export interface KillPlan {
  /** SIGKILLs of a random service process. */
  serviceKills: number;
  killNats: boolean;
  killPostgres: boolean;
  /** Pause between kills, drawn uniformly from [min, max] ms. */
  intervalMs: [number, number];
  /** How long a killed service stays down before its restart. */
  downMs: [number, number];
  seed: string;
}

export interface KillRecord {
  at: number;
  target: string;
  /** Ms from the SIGKILL until the target answered its health query again. */
  recoveredMs: number;
}

export interface KillReport {
  kills: KillRecord[];
  /** Processes that exited without being killed (restarted like a supervisor would). */
  unexpectedExits: string[];
}

type Target = { kind: 'service'; index: number } | { kind: 'nats' } | { kind: 'postgres' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The order of kills: services at random, NATS after a third of them, PostgreSQL after two thirds. */
export function killSchedule(plan: KillPlan, processes: number): Target[] {
  const rand = seededRandom(`kills:${plan.seed}`);
  const out: Target[] = Array.from({ length: plan.serviceKills }, () => ({
    kind: 'service' as const,
    index: Math.floor(rand() * processes),
  }));
  if (plan.killPostgres) out.splice(Math.ceil((out.length * 2) / 3), 0, { kind: 'postgres' });
  if (plan.killNats) out.splice(Math.ceil(out.length / 3), 0, { kind: 'nats' });
  return out;
}

async function killTarget(system: RunningSystem, target: Target, down: number): Promise<string> {
  if (target.kind === 'service') {
    const p = system.processes[target.index];
    await p.kill();
    await sleep(down);
    p.start();
    return p.name;
  }
  if (target.kind === 'nats') {
    await system.nats.kill(0);
    await sleep(down);
    await system.nats.restart(0);
    return 'nats-server';
  }
  if (!system.pg.kill || !system.pg.restart)
    throw new Error('PostgreSQL kill needs the embedded server');
  await system.pg.kill();
  await sleep(down);
  await system.pg.restart();
  return 'postgresql';
}

/** Restarts any process that died on its own, and names it. */
function reviveUnexpected(system: RunningSystem, report: KillReport): void {
  for (const p of system.processes) {
    if (p.alive) continue;
    report.unexpectedExits.push(`${p.name}: ${p.tail(600).replace(/\s+/g, ' ')}`);
    p.start();
  }
}

/**
 * Runs the kill schedule while `running()` holds; after each kill waits until every service
 * answers again, so each kill hits a recovered system.
 */
export async function driveKills(
  system: RunningSystem,
  plan: KillPlan,
  running: () => boolean,
  log: (line: string) => void = () => undefined,
): Promise<KillReport> {
  const rand = seededRandom(`intervals:${plan.seed}`);
  const between = ([lo, hi]: [number, number]) => lo + Math.floor(rand() * (hi - lo));
  const report: KillReport = { kills: [], unexpectedExits: [] };
  for (const target of killSchedule(plan, system.processes.length)) {
    await sleep(between(plan.intervalMs));
    reviveUnexpected(system, report);
    if (!running()) break;
    const at = Date.now();
    const name = await killTarget(system, target, between(plan.downMs));
    await system.waitHealthy(120_000).catch(() => reviveUnexpected(system, report));
    await system.waitHealthy(120_000);
    report.kills.push({ at, target: name, recoveredMs: Date.now() - at });
    log(`killed ${name}; recovered in ${Date.now() - at} ms`);
  }
  return report;
}
