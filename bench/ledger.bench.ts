// npm run bench:ledger — ledger ingest vs. a raw multi-row-INSERT consumer, and lag at 1,000 events/s.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { Client, Pool } from 'pg';
import type { EventEnvelope } from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { startNatsServer, withDatabase } from '@rcp/infra';
import { connectNats, type NatsConnection } from '@rcp/messaging';
import { createLogger } from '@rcp/telemetry';
import { LEDGER_MIGRATIONS, prepareLedger } from '../apps/cost-ledger/src/adapters/ledger-setup';
import { probeCommits } from './ledger/lag-probe';
import { openRawConsumer } from './ledger/raw-consumer';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 1000;
// Raw and ledger take turns on equal slices (alternating which goes first), so the load of a
// shared machine weighs on both alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const LAG_RATE = 1000;
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const ADMIN =
  process.env.RCP_TEST_PG_ADMIN_URL ||
  process.env.TEST_DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

const communities = Array.from({ length: 200 }, () => randomUUID());
const stateRollouts = Array.from({ length: 4 }, () => randomUUID());

/** Like a real rollout: 4 states × 5 communities in flight; each community makes ~100 calls. */
function usageEvent(
  i: number,
  recordedAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
): EventEnvelope {
  const community = (Math.floor(i / 2000) * 20 + (i % 20)) % communities.length;
  return {
    id: randomUUID(),
    type: 'ApiUsageRecorded',
    version: 1,
    occurredAt: recordedAt,
    source: 'discovery',
    aggregate: { type: 'ApiUsage', id: randomUUID(), version: 1 },
    correlationId: randomUUID(),
    causationId: null,
    actor: 'bench',
    data: {
      usageId: randomUUID(),
      communityRolloutId: communities[community],
      stateRolloutId: stateRollouts[community % 4],
      stateCode: ['TX', 'CA', 'NY', 'FL'][community % 4],
      apiName: 'google_places',
      endpoint: ['text_search', 'nearby_search', 'place_details'][i % 3],
      skuTier: ['essentials', 'pro'][i % 2],
      requestCount: 1 + (i % 3),
      actualResponseCount: 20,
      estimatedCost: '0.005',
      recordedAt,
    },
  };
}

async function publishAll(nc: NatsConnection, from: number, count: number): Promise<number> {
  const js = jetstream(nc);
  const started = performance.now();
  for (let i = from; i < from + count; i += 2000) {
    const chunk = Array.from({ length: Math.min(2000, from + count - i) }, (_, k) =>
      usageEvent(i + k),
    );
    await Promise.all(
      chunk.map((e) =>
        js.publish(
          `events.discovery.ApiUsageRecorded.${(e.data as { stateCode: string }).stateCode}`,
          JSON.stringify(e),
          { msgID: e.id },
        ),
      ),
    );
  }
  return performance.now() - started;
}

/** Where the ledger's commits are reported (event ids, commit time). */
let onCommit: (eventIds: string[], at: number) => void = () => undefined;

async function openLedger(natsUrl: string, databaseUrl: string): Promise<ServiceRuntime> {
  const runtime = await ServiceRuntime.open({
    service: 'ledger',
    version: 'bench',
    natsUrl,
    databaseUrl,
    schema: 'ledger',
    migrations: LEDGER_MIGRATIONS,
    logger: createLogger('ledger', { level: 'error' }),
  });
  await prepareLedger(runtime, { usageBatchSize: BATCH });
  probeCommits(runtime.consumer('api-usage').projection, (ids, at) => onCommit(ids, at));
  return runtime;
}

async function measureLag(nc: NatsConnection, runtime: ServiceRuntime): Promise<number[]> {
  const sent = new Map<string, number>();
  const lags: number[] = [];
  onCommit = (ids, at) => {
    for (const id of ids) if (sent.has(id)) lags.push(at - sent.get(id)!);
  };
  const js = jetstream(nc);
  const total = LAG_RATE * LAG_SECONDS;
  const start = performance.now();
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * LAG_RATE) / 1000));
    for (; i < due; i++) {
      const e = usageEvent(N + i, new Date().toISOString());
      sent.set(e.id, performance.now());
      acks.push(
        js.publish(`events.discovery.ApiUsageRecorded.TX`, JSON.stringify(e), { msgID: e.id }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(acks);
  await runtime.waitForProjections(60_000);
  return lags.sort((a, b) => a - b);
}

/** Publishes N events in ROUNDS slices; each slice is consumed by the raw consumer and by the ledger. */
async function measureIngest(
  nc: NatsConnection,
  pool: Pool,
  runtime: ServiceRuntime,
): Promise<{ rawMs: number; ledgerMs: number }> {
  const raw = await openRawConsumer(nc, pool, BATCH);
  const usage = runtime.consumer('api-usage');
  await runtime.start();
  await usage.stop();
  // From start to the commit of the slice's last event (not to the next caught-up poll).
  const ledger = async (count: number) => {
    let committed = 0;
    let last = 0;
    onCommit = (ids, at) => void ((committed += ids.length), (last = at));
    const started = performance.now();
    await usage.start();
    // Counting commits, not polling consumer info: nats-server 2.9 computes a filtered consumer's
    // pending count by scanning the stream, and polling it slows delivery to the consumer itself.
    const deadline = Date.now() + 300_000;
    while (committed < count && Date.now() < deadline) await sleep(20);
    await usage.stop();
    if (committed !== count) throw new Error(`ledger committed ${committed} of ${count}`);
    return last - started;
  };
  let [rawMs, ledgerMs, published] = [0, 0, 0];
  for (let round = 0; round < ROUNDS; round++) {
    const count = round === ROUNDS - 1 ? N - published : Math.floor(N / ROUNDS);
    const publishMs = await publishAll(nc, published, count);
    published += count;
    const rawFirst = round % 2 === 0;
    const first = rawFirst ? await raw.consume(count) : await ledger(count);
    const second = rawFirst ? await ledger(count) : await raw.consume(count);
    const [r, l] = rawFirst ? [first, second] : [second, first];
    [rawMs, ledgerMs] = [rawMs + r, ledgerMs + l];
    console.log(
      `round ${round + 1}: published ${count} in ${(publishMs / 1000).toFixed(1)} s; raw ${(count / (r / 1000)).toFixed(0)}/s, ledger ${(count / (l / 1000)).toFixed(0)}/s (${rawFirst ? 'raw' : 'ledger'} first)`,
    );
  }
  await usage.start();
  return { rawMs, ledgerMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'rcp-bench-ledger-'));
  const dbName = `rcp_bench_ledger_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const nats = await startNatsServer({ storeDir, host: '127.0.0.1' });
  const databaseUrl = withDatabase(ADMIN, dbName);
  const nc = await connectNats({ url: nats.url, name: 'bench' });
  const pool = new Pool({ connectionString: databaseUrl });
  let runtime: ServiceRuntime | undefined;
  try {
    runtime = await openLedger(nats.url, databaseUrl);
    const { rawMs, ledgerMs } = await measureIngest(nc, pool, runtime);
    const rawRate = N / (rawMs / 1000);
    const ledgerRate = N / (ledgerMs / 1000);
    console.log(
      `raw ceiling (multi-row INSERT + checkpoint per batch of ${BATCH}): ${rawRate.toFixed(0)} events/s`,
    );
    console.log(
      `ledger ingest (priced rows + 3 roll-ups + free units + budgets, idempotent by usage id): ${ledgerRate.toFixed(0)} events/s`,
    );
    console.log(`ratio ledger / raw: ${(ledgerRate / rawRate).toFixed(2)} (target >= 0.60)`);
    const lags = await measureLag(nc, runtime);
    console.log(
      `lag at ${LAG_RATE} events/s over ${LAG_SECONDS} s (${lags.length} events): p50 ${pct(lags, 50).toFixed(1)} ms, p99 ${pct(lags, 99).toFixed(1)} ms, max ${lags[lags.length - 1].toFixed(1)} ms (target p99 < 50 ms)`,
    );
  } finally {
    await runtime?.stop().catch(() => undefined);
    await nc.close().catch(() => undefined);
    await pool.end();
    await nats.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(storeDir, { recursive: true, force: true });
  }
}

void main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
