// npm run bench:flags — in-process evaluations/s (FlagsClient) and qry.flags.Evaluate round-trips/s with p50/p99.
import { randomUUID } from 'node:crypto';
import { CreateFlagCommand, EvaluateQuery, HEALTH_QUERIES } from '@rcp/contracts';
import { FlagsClient } from '@rcp/flags-client';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { eventually, spawnDist, startTestInfra } from '@rcp/testing';

const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 5_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
/** Requests kept in flight by the one client process, one measurement per level. */
const LEVELS = (process.env.BENCH_IN_FLIGHT ?? '4,8,12,16,32,128')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const FLAG = 'bench.dense-search';
const SUBJECTS = Array.from({ length: 10_000 }, (_, i) => `community-${i}`);

/** Waits until `check` holds (a bench has no Jest `expect`). */
const until = (check: () => Promise<boolean>, what: string) =>
  eventually(
    async () => {
      if (!(await check().catch(() => false))) throw new Error(`timed out waiting for ${what}`);
    },
    30_000,
    100,
  );

function inProcess(client: FlagsClient): { perSecond: number; enabled: number } {
  let enabled = 0;
  for (let i = 0; i < 200_000; i++) client.evaluate(FLAG, SUBJECTS[i % SUBJECTS.length]);
  const started = performance.now();
  for (let i = 0; i < EVALUATIONS; i++)
    if (client.evaluate(FLAG, SUBJECTS[i % SUBJECTS.length]).enabled) enabled++;
  return { perSecond: EVALUATIONS / ((performance.now() - started) / 1000), enabled };
}

async function roundTrips(nc: NatsConnection, count: number, inFlight: number) {
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const payload = JSON.stringify({ flag: FLAG, subjectId: SUBJECTS[i % SUBJECTS.length] });
      const sent = performance.now();
      const msg = await nc.request(EvaluateQuery.subject, payload, { timeout: 10_000 });
      latencies[i] = performance.now() - sent;
      if (!msg.json<{ ok: boolean }>().ok) throw new Error(`error reply: ${msg.string()}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { perSecond: count / seconds, p50: at(0.5), p99: at(0.99) };
}

async function main() {
  const infra = await startTestInfra('bench_flags');
  const service = spawnDist('apps/flags/src/main.js', {
    NATS_URL: infra.natsUrl,
    DATABASE_URL: infra.databaseUrl,
    LOG_LEVEL: 'error',
    FLAGS_EMERGENCY_STOP: '',
  });
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-flags' });
  const client = new FlagsClient({
    nc,
    actor: 'bench',
    emergencyOverride: { all: false, flags: new Set() },
  });
  try {
    await until(
      async () => (await request(nc, HEALTH_QUERIES.flags.subject, {}, 1_000)).ok,
      'the flags service',
    );
    const create = {
      commandId: randomUUID(),
      actor: 'bench',
      flag: FLAG,
      rolloutPercentage: 37,
      settings: { isActive: true },
    };
    const created = await request(nc, CreateFlagCommand.subject, create);
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    await client.start();
    await until(async () => client.cache.get(FLAG) !== undefined, 'the client cache');
    await until(
      async () =>
        (await request(nc, EvaluateQuery.subject, { flag: FLAG, subjectId: 'x' }, 1_000)).ok,
      'Evaluate',
    );

    const local = inProcess(client);
    console.log(
      `in-process evaluations: ${EVALUATIONS.toLocaleString('en-US')} in a loop → ${Math.round(local.perSecond).toLocaleString('en-US')}/s (target ≥ 2,000,000/s; ${((local.enabled / EVALUATIONS) * 100).toFixed(1)} % enabled at 37 %)`,
    );
    await roundTrips(nc, 5_000, 16);
    let best: { inFlight: number; perSecond: number; p99: number } | undefined;
    for (const inFlight of LEVELS) {
      const remote = await roundTrips(nc, REQUESTS, inFlight);
      const meets = remote.perSecond >= 10_000 && remote.p99 < 5;
      if (meets && (!best || remote.perSecond > best.perSecond)) best = { inFlight, ...remote };
      console.log(
        `qry.flags.Evaluate round-trips: ${REQUESTS.toLocaleString('en-US')} with ${inFlight} in flight → ${Math.round(remote.perSecond).toLocaleString('en-US')}/s, p50 ${remote.p50.toFixed(2)} ms, p99 ${remote.p99.toFixed(2)} ms${meets ? '  ✓' : ''}`,
      );
    }
    console.log(
      best
        ? `target (≥ 10,000/s with p99 < 5 ms) met: ${Math.round(best.perSecond).toLocaleString('en-US')}/s, p99 ${best.p99.toFixed(2)} ms at ${best.inFlight} in flight`
        : 'target (≥ 10,000/s with p99 < 5 ms) not met at any level',
    );
  } finally {
    await client.stop();
    await nc.drain().catch(() => undefined);
    await service.stop();
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('bench failed', error);
    process.exit(1);
  },
);
