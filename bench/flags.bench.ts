// npm run bench:flags — in-process evaluations/s (FlagsClient) and qry.flags.Evaluate round-trips/s with p50/p99.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { CreateFlagCommand, EvaluateQuery, HEALTH_QUERIES } from '@rcp/contracts';
import { FlagsClient } from '@rcp/flags-client';
import { ensureNatsServerBinary, startNatsServer, withDatabase } from '@rcp/infra';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';

const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 5_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);
const ADMIN =
  process.env.RCP_TEST_PG_ADMIN_URL ||
  process.env.TEST_DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';
const FLAG = 'bench.dense-search';
const SUBJECTS = Array.from({ length: 10_000 }, (_, i) => `community-${i}`);

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function inProcess(client: FlagsClient): { perSecond: number; enabled: number } {
  let enabled = 0;
  for (let i = 0; i < 200_000; i++) client.evaluate(FLAG, SUBJECTS[i % SUBJECTS.length]);
  const started = performance.now();
  for (let i = 0; i < EVALUATIONS; i++)
    if (client.evaluate(FLAG, SUBJECTS[i % SUBJECTS.length]).enabled) enabled++;
  return { perSecond: EVALUATIONS / ((performance.now() - started) / 1000), enabled };
}

async function roundTrips(nc: NatsConnection, count: number) {
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
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { perSecond: count / seconds, p50: at(0.5), p99: at(0.99) };
}

async function main() {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'rcp-bench-flags-'));
  const nats = await startNatsServer({ storeDir, binary: await ensureNatsServerBinary() });
  const dbName = `rcp_bench_flags_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const service = spawn(process.execPath, [path.join(__dirname, '../apps/flags/src/main.js')], {
    env: {
      ...process.env,
      NATS_URL: nats.url,
      DATABASE_URL: withDatabase(ADMIN, dbName),
      LOG_LEVEL: 'error',
      FLAGS_EMERGENCY_STOP: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const nc = await connectNats({ url: nats.url, name: 'bench-flags' });
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
    await roundTrips(nc, 5_000);
    const remote = await roundTrips(nc, REQUESTS);
    console.log(
      `qry.flags.Evaluate round-trips: ${REQUESTS.toLocaleString('en-US')} with ${IN_FLIGHT} in flight → ${Math.round(remote.perSecond).toLocaleString('en-US')}/s, p50 ${remote.p50.toFixed(2)} ms, p99 ${remote.p99.toFixed(2)} ms (target ≥ 10,000/s, p99 < 5 ms)`,
    );
  } finally {
    await client.stop();
    await nc.drain().catch(() => undefined);
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    await nats.stop();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await rm(storeDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('bench failed', error);
    process.exit(1);
  },
);
