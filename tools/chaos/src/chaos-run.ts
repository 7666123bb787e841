import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { STREAMS } from '@rcp/contracts';
import { consistencyChecks } from './checks';
import { driveKills, type KillPlan, type KillReport } from './kill-driver';
import { startRollout, waitCompleted, type RolloutPlan } from './rollout';
import { takeSnapshot, type RunSnapshot } from './snapshot';
import { startSystem, type SystemOptions } from './system';

export interface RunOptions {
  system: SystemOptions;
  rollout: RolloutPlan;
  /** Injected Places error rate (SIM_PLACES_ERROR_RATE). */
  errorRate: number;
  kills?: KillPlan;
  /** Kill one NATS node of a cluster once this many communities are terminal (cluster test). */
  killClusterNodeAfter?: number;
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface RunResult {
  snapshot: RunSnapshot;
  report: KillReport;
  durationMs: number;
  stateRolloutId: string;
  /** Every line the services wrote. */
  output: string;
  /** True when `killClusterNodeAfter` was reached and a NATS node was killed. */
  clusterNodeKilled: boolean;
}

const doneCount = (b: Record<string, number>) => (b.completed ?? 0) + (b.failed ?? 0);

/** One whole system, one rollout, optionally under a kill schedule; returns the end state. */
export async function runRollout(options: RunOptions): Promise<RunResult> {
  const log = options.log ?? (() => undefined);
  const system = await startSystem({
    ...options.system,
    env: { SIM_PLACES_ERROR_RATE: String(options.errorRate), ...options.system.env },
  });
  const started = Date.now();
  let nodeKilled = false;
  try {
    const stateRolloutId = await startRollout(system.nc, options.rollout);
    let running = true;
    const onTick = (p: { statusBreakdown: Record<string, number> }) => {
      const done = doneCount(p.statusBreakdown);
      if (
        options.killClusterNodeAfter !== undefined &&
        !nodeKilled &&
        done >= options.killClusterNodeAfter
      ) {
        nodeKilled = true;
        log(`killing NATS node 3 of 3 at ${done} terminal communities`);
        void system.nats.kill(2);
      }
    };
    const kills = options.kills
      ? driveKills(system, options.kills, () => running, log)
      : Promise.resolve<KillReport>({ kills: [], unexpectedExits: [] });
    try {
      await waitCompleted(system.nc, stateRolloutId, options.timeoutMs, onTick);
    } finally {
      running = false;
    }
    const report = await kills;
    // Let the consumers drain what the last events started (ledger and cost projections lag).
    const snapshot = await settledSnapshot(system, stateRolloutId, options.rollout.stateCode);
    if (snapshot.missingFromLedger.length > 0) log(await ledgerDiagnosis(system, snapshot));
    return {
      snapshot,
      report,
      durationMs: Date.now() - started,
      stateRolloutId,
      output: system.processes.map((p) => p.output()).join(''),
      clusterNodeKilled: nodeKilled,
    };
  } catch (error) {
    for (const p of system.processes) log(`── ${p.name} (alive ${p.alive}):\n${p.tail(1500)}`);
    throw error;
  } finally {
    await system.stop();
  }
}

/**
 * Snapshots until the projections have caught up: every consistency check holds and two snapshots
 * a second apart agree; after ~90 s returns the last one (its failed checks then name the lag).
 */
async function settledSnapshot(
  system: Awaited<ReturnType<typeof startSystem>>,
  stateRolloutId: string,
  stateCode: string,
): Promise<RunSnapshot> {
  let previous = '';
  let snapshot!: RunSnapshot;
  for (let i = 0; i < 90; i++) {
    snapshot = await takeSnapshot(system.nc, system.pg.adminUrl, stateRolloutId, stateCode);
    const key = JSON.stringify(snapshot);
    if (key === previous && consistencyChecks(snapshot).every((c) => c.ok)) return snapshot;
    previous = key;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return snapshot;
}

/**
 * Where the ledger's consumer stands next to the usages it lacks: above its ack floor they are
 * still to be delivered (stuck), below it they were acknowledged without a row (lost).
 */
async function ledgerDiagnosis(
  system: Awaited<ReturnType<typeof startSystem>>,
  snapshot: RunSnapshot,
): Promise<string> {
  const jsm = await jetstreamManager(system.nc);
  const info = await jsm.consumers.info(STREAMS.events, 'ledger-api-usage').catch((e: Error) => e);
  const pg = new Client({ connectionString: system.pg.adminUrl });
  await pg.connect();
  const checkpoint = await pg
    .query("SELECT * FROM ledger.consumer_checkpoints WHERE consumer = 'ledger-api-usage'")
    .then(
      (r) => r.rows[0] as unknown,
      (e: Error) => e.message,
    )
    .finally(() => pg.end());
  const state =
    info instanceof Error
      ? info.message
      : JSON.stringify({
          delivered: info.delivered,
          ack_floor: info.ack_floor,
          num_ack_pending: info.num_ack_pending,
          num_redelivered: info.num_redelivered,
          num_pending: info.num_pending,
        });
  return [
    `ledger lacks ${snapshot.usageIdsMissingFromLedger} usages; consumer ledger-api-usage ${state}`,
    `  checkpoint ${JSON.stringify(checkpoint)}`,
    ...snapshot.missingFromLedger.map((m) => `  missing ${JSON.stringify(m)}`),
  ].join('\n');
}
