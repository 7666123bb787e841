import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// The chaos run: `npm run test:chaos`. An undisturbed rollout and the same rollout (same seed) under
// SIGKILLs of random services, NATS and PostgreSQL; prints a summary table, exits 1 on any mismatch.
// Sizes come from the environment (CHAOS_COMMUNITIES, CHAOS_KILLS, CHAOS_ERROR_RATE, CHAOS_SEED, ...).
import { isPostgresReachable } from '@rcp/infra';
import { baselineChecks, consistencyChecks, failureReasons, formatChecks } from './checks';
import { runRollout, type RunResult } from './chaos-run';
import { sharedAdminUrl } from './postgres-target';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const COMMUNITIES = Number(env('CHAOS_COMMUNITIES', '300'));
const KILLS = Number(env('CHAOS_KILLS', '20'));
const ERROR_RATE = Number(env('CHAOS_ERROR_RATE', '0.05'));
const SEED = env('CHAOS_SEED', 'rcp-chaos-1');
const BATCH = Number(env('CHAOS_BATCH_SIZE', '25'));
const TIMEOUT_MS = Number(env('CHAOS_TIMEOUT_MS', '1500000'));
/** Simulated Places latency for both runs: long enough that every planned kill lands mid-rollout. */
const LATENCY_MS = env('CHAOS_PLACES_LATENCY_MS', '120');

const log = (line: string) =>
  console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function run(
  label: string,
  disturbed: boolean,
  postgres: 'embedded' | 'shared',
): Promise<RunResult> {
  log(
    `${label}: ${COMMUNITIES} communities, error rate ${ERROR_RATE}, ${disturbed ? `${KILLS} service kills + NATS + PostgreSQL` : 'no kills'}`,
  );
  const result = await runRollout({
    system: {
      label,
      postgres: disturbed ? 'embedded' : postgres,
      env: { SIM_PLACES_LATENCY_MS: LATENCY_MS },
    },
    rollout: { stateCode: 'VT', communities: COMMUNITIES, seed: SEED, batchSize: BATCH },
    errorRate: ERROR_RATE,
    kills: disturbed
      ? {
          serviceKills: KILLS,
          killNats: true,
          killPostgres: true,
          intervalMs: [500, 1_500],
          downMs: [100, 1_500],
          seed: SEED,
        }
      : undefined,
    timeoutMs: TIMEOUT_MS,
    log,
  });
  log(`${label}: done in ${(result.durationMs / 1000).toFixed(1)} s`);
  // CHAOS_LOG_DIR keeps every service's output (warnings and errors) for a post-mortem.
  if (process.env.CHAOS_LOG_DIR) {
    mkdirSync(process.env.CHAOS_LOG_DIR, { recursive: true });
    writeFileSync(path.join(process.env.CHAOS_LOG_DIR, `${label}.log`), result.output);
  }
  return result;
}

async function main(): Promise<number> {
  const postgres = (await isPostgresReachable(sharedAdminUrl())) ? 'shared' : 'embedded';
  const baseline = await run('undisturbed', false, postgres);
  const chaos = await run('chaos', true, postgres);
  const checks = [
    ...consistencyChecks(baseline.snapshot).map((c) => ({
      ...c,
      check: `undisturbed: ${c.check}`,
    })),
    ...consistencyChecks(chaos.snapshot),
    ...baselineChecks(chaos.snapshot, baseline.snapshot, ERROR_RATE === 0),
  ];
  const kills = chaos.report.kills;
  console.log(formatChecks('chaos run: end checks', checks));
  console.log(
    `── kills survived: ${kills.length} (${kills.map((k) => `${k.target} ${k.recoveredMs} ms`).join(', ')})`,
  );
  console.log(
    `── unexpected exits: ${chaos.report.unexpectedExits.length}${chaos.report.unexpectedExits.map((e) => `\n   ${e}`).join('')}`,
  );
  console.log(
    `── failed communities by last error: undisturbed ${JSON.stringify(failureReasons(baseline.snapshot))}, chaos ${JSON.stringify(failureReasons(chaos.snapshot))}`,
  );
  console.log(
    `── events checked: ${chaos.snapshot.usageEvents + baseline.snapshot.usageEvents} ApiUsageRecorded, ${chaos.snapshot.totalCommunities + baseline.snapshot.totalCommunities} community rollouts`,
  );
  const mismatches = checks.filter((c) => !c.ok).length;
  const wanted = KILLS + 2;
  console.log(`── mismatches: ${mismatches}; kills ${kills.length}/${wanted}`);
  return mismatches === 0 && kills.length === wanted && chaos.report.unexpectedExits.length === 0
    ? 0
    : 1;
}

// A Ctrl-C exits through process.exit, whose handlers SIGKILL every server and service started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
