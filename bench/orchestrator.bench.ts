// Orchestrator benchmark: a rollout of 2,000 communities through all phases with an instant phase
// worker, on a private nats-server and a scratch database. Prints phase transitions per second and
// the orchestration overhead per transition (answer published → next request received), p50/p99.
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { connectNats, type NatsConnection } from '@rcp/messaging';
import { startTestInfra } from '@rcp/testing';
import {
  command,
  importCommunities,
  ok,
  query,
  startOrchestrator,
} from '../apps/orchestrator/test/support/orchestrator-harness';
import { startScriptedWorker } from '../apps/orchestrator/test/support/scripted-phase-worker';

const COMMUNITIES = Number(process.env.BENCH_COMMUNITIES ?? 2000);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 100);
const TIME_LIMIT_MS = 600_000;
const TRANSITIONS = [
  'CommunityPhaseRequested',
  'CommunityPhaseAccepted',
  'CommunityPhaseSkipped',
  'CommunityQualityGateChecked',
  'CommunityRolloutCompleted',
  'CommunityRolloutFailed',
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface RunResult {
  seconds: number;
  transitions: number;
  overheads: number[];
}

/** One rollout of `count` communities of `stateCode`, `batchSize` at a time, answered at once. */
async function rollout(
  nc: NatsConnection,
  pg: Client,
  stateCode: string,
  count: number,
  batchSize: number,
): Promise<RunResult> {
  await importCommunities(nc, stateCode, count, { source: 'bench' });
  const answeredAt = new Map<string, number>();
  const overheads: number[] = [];
  const worker = await startScriptedWorker(
    nc,
    (r) => {
      const previous = answeredAt.get(r.communityRolloutId);
      if (previous !== undefined) overheads.push(performance.now() - previous);
      answeredAt.set(r.communityRolloutId, performance.now());
      return { ok: true, counters: { businessesDiscovered: 3 } };
    },
    { name: `bench-${stateCode}` },
  );
  const started = performance.now();
  const { stateRolloutId } = await ok(
    command<{ stateRolloutId: string }>(
      nc,
      'StartStateRollout',
      { stateCode, initiatedBy: 'bench', settings: { batchSize, throttleMs: 0 } },
      120_000,
    ),
  );
  for (;;) {
    const p = await query(nc, 'GetStateProgress', { stateRolloutId });
    if (p.status === 'completed') break;
    if (performance.now() - started > TIME_LIMIT_MS)
      throw new Error(`not completed in ${TIME_LIMIT_MS} ms: ${JSON.stringify(p.statusBreakdown)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const { rows } = await pg.query(
    `SELECT count(*)::int AS n FROM orchestrator.events WHERE type = ANY($1) AND (data->>'stateRolloutId') = $2`,
    [TRANSITIONS, stateRolloutId],
  );
  return { seconds, transitions: rows[0].n as number, overheads: overheads.sort((a, b) => a - b) };
}

const describe = (r: RunResult) =>
  `${r.transitions} transitions in ${r.seconds.toFixed(1)} s → ${(r.transitions / r.seconds).toFixed(0)}/s; overhead per transition (answer → next request) p50 ${percentile(r.overheads, 50).toFixed(1)} ms, p99 ${percentile(r.overheads, 99).toFixed(1)} ms`;

async function main(): Promise<void> {
  const infra = await startTestInfra('bench_orch');
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench' });
  const orchestrator = await startOrchestrator(infra, nc, { LOG_LEVEL: 'error' });
  const pg = new Client({ connectionString: infra.databaseUrl });
  await pg.connect();
  try {
    console.log(
      `orchestrator benchmark: instant phase worker, throttle 0, one orchestrator process`,
    );
    const throughput = await rollout(nc, pg, 'TX', COMMUNITIES, BATCH_SIZE);
    console.log(
      `  throughput: ${COMMUNITIES} communities, batch size ${BATCH_SIZE}: ${describe(throughput)} (target ≥ 300 transitions/s)`,
    );
    const latency = await rollout(nc, pg, 'RI', 100, 5);
    console.log(`  latency:    100 communities, batch size 5: ${describe(latency)}`);
  } finally {
    await pg.end();
    await orchestrator.stop();
    await nc.close();
    await infra.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
