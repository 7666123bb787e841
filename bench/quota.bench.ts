// npm run bench:quota — ReserveQuota round trips/s from 50 concurrent clients against the quota
// service (spawned from dist/): a warm-up round, then BENCH_ROUNDS measured rounds, each on fresh
// accounts; then an overspend check: granted units per account never pass its limit, and none is
// refused while its account has units left.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { HEALTH_QUERIES, type Reply } from '@rcp/contracts';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { eventually, spawnDist, startTestInfra } from '@rcp/testing';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
/** Measured rounds per replica count (each on its own accounts), after one warm-up round. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP ?? 5_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 1_500);
/** One run per entry: the number of quota-service processes sharing the queue group. */
const REPLICA_COUNTS = (process.env.BENCH_REPLICAS ?? '1,2')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const DEADLINE_MS = 180_000;
const METER = 'google_places.essentials';
/** Waits until `check` holds (a bench has no Jest `expect`). */
const until = (check: () => Promise<boolean>, what: string) =>
  eventually(
    async () => {
      if (!(await check().catch(() => false))) throw new Error(`timed out waiting for ${what}`);
    },
    60_000,
    100,
  );

// CPU time (user + system) from /proc (Linux; 0 elsewhere): where the time per request goes.
type CpuSample = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** PIDs of the PostgreSQL backends serving one database (same machine). */
async function backendPids(databaseUrl: string, database: string): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** CPU ms of every process of every group, by `group:pid`, and of this client. */
function sampleCpu(groups: Record<string, number[]>): CpuSample {
  const sample: CpuSample = new Map();
  for (const [group, pids] of Object.entries(groups))
    for (const pid of pids) sample.set(`${group}:${pid}`, cpuMsOf(pid));
  sample.set('client', process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000);
  return sample;
}

/**
 * `group a.aa ms` per request between two samples. A process first seen in `after` (a PostgreSQL
 * backend the pool opened during the round) counts from 0; one gone by then is not counted.
 */
function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): string {
  const perGroup = new Map<string, number>();
  for (const [key, ms] of after) {
    const group = key.split(':')[0];
    perGroup.set(group, (perGroup.get(group) ?? 0) + ms - (before.get(key) ?? 0));
  }
  return [...perGroup].map(([group, ms]) => `${group} ${(ms / requests).toFixed(2)}`).join(', ');
}

async function command(nc: NatsConnection, name: string, payload: object): Promise<Reply> {
  return request(
    nc,
    `cmd.quota.${name}`,
    { commandId: randomUUID(), actor: 'bench', ...payload },
    30_000,
  );
}

/** One round: `requests` reservations from CLIENTS closed-loop clients on the round's accounts. */
async function reserveAll(nc: NatsConnection, round: string, requests: number) {
  const granted = new Array<number>(ACCOUNTS).fill(0);
  /** Requests per account answered with a grant or QUOTA_EXCEEDED. */
  const answered = new Array<number>(ACCOUNTS).fill(0);
  const counts = { granted: 0, refused: 0, other: 0 };
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < requests && Date.now() < started + DEADLINE_MS) {
      const i = next++;
      const account = i % ACCOUNTS;
      const sent = performance.now();
      const reply = await command(nc, 'ReserveQuota', {
        tenantId: `bench-${round}-${account}`,
        meter: METER,
        units: 1,
        idempotencyKey: `call-${i}`,
      });
      latencies.push(performance.now() - sent);
      if (reply.ok) {
        granted[account]++;
        answered[account]++;
        counts.granted++;
      } else if (reply.error.code === 'QUOTA_EXCEEDED') {
        answered[account]++;
        counts.refused++;
      } else counts.other++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  // Units each account should have granted (one per request, up to its limit) and did not.
  const underspend = granted.reduce(
    (sum, g, a) => sum + Math.max(0, Math.min(LIMIT, answered[a]) - g),
    0,
  );
  return { granted, underspend, counts, seconds, p50: at(0.5), p99: at(0.99) };
}

const rate = (r: { counts: Record<string, number>; seconds: number }) =>
  (r.counts.granted + r.counts.refused + r.counts.other) / r.seconds;

async function storedOverspend(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ overspend: string }>(
      `SELECT COALESCE(sum(GREATEST(0, granted - $1)), 0) AS overspend FROM (
         SELECT stream_id, sum((data->>'units')::int) AS granted FROM quota.events
          WHERE type = 'QuotaReserved' GROUP BY stream_id) g`,
      [LIMIT],
    );
    return Number(rows[0].overspend);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const overspent: number[] = [];
  for (const replicas of REPLICA_COUNTS) overspent.push(await run(replicas));
  if (overspent.some((n) => n !== 0))
    throw new Error(`overspend or refusals with quota left: ${overspent.join(', ')}`);
}

/**
 * One fresh system with `processes` quota-service processes; returns the units granted past a
 * limit or refused short of it (both must be 0).
 */
async function run(processes: number): Promise<number> {
  const infra = await startTestInfra('bench_quota');
  const { databaseUrl, databaseName: database } = infra;
  const env = {
    NATS_URL: infra.natsUrl,
    DATABASE_URL: databaseUrl,
    QUOTA_WORKER: 'off',
    LOG_LEVEL: 'error',
  };
  const replicas = Array.from({ length: processes }, () =>
    spawnDist('apps/quota/src/main.js', env),
  );
  let nc: NatsConnection | undefined;
  try {
    nc = await connectNats({ url: infra.natsUrl, name: 'bench-quota' });
    const client = nc;
    await until(
      async () => (await request(client, HEALTH_QUERIES.quota.subject, {}, 1_000)).ok,
      'the quota service',
    );
    const rounds = ['warmup', ...Array.from({ length: ROUNDS }, (_, r) => `r${r + 1}`)];
    for (const round of rounds)
      for (let a = 0; a < ACCOUNTS; a++)
        await command(client, 'SetQuotaLimit', {
          tenantId: `bench-${round}-${a}`,
          meter: METER,
          limit: LIMIT,
        });
    console.log(
      `quota bench: ${processes} service replica(s); ${CLIENTS} clients; a warm-up round of ${WARMUP_REQUESTS}, then ${ROUNDS} rounds of ${REQUESTS} ReserveQuota, each over ${ACCOUNTS} fresh accounts (limit ${LIMIT} each)`,
    );
    const warmup = await reserveAll(client, 'warmup', WARMUP_REQUESTS);
    console.log(`  warm-up             ${rate(warmup).toFixed(0)} reservations/s (not counted)`);
    const pids = {
      service: replicas.map((r) => r.child.pid ?? 0),
      nats: [infra.nats.pid],
      postgres: await backendPids(databaseUrl, database),
    };
    let overspendReplies = 0;
    let underspend = 0;
    const rates: number[] = [];
    for (const round of rounds.slice(1)) {
      // The pool opens and closes backends as it likes: each sample looks them up again.
      pids.postgres = await backendPids(databaseUrl, database);
      const before = sampleCpu(pids);
      const result = await reserveAll(client, round, REQUESTS);
      pids.postgres = await backendPids(databaseUrl, database);
      const cpu = cpuPerRequest(before, sampleCpu(pids), REQUESTS);
      overspendReplies += result.granted.reduce((sum, g) => sum + Math.max(0, g - LIMIT), 0);
      underspend += result.underspend;
      rates.push(rate(result));
      const { granted, refused, other } = result.counts;
      console.log(
        `  round ${round.slice(1)}: ${rate(result).toFixed(0)} reservations/s (${result.seconds.toFixed(2)} s; p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms); granted/refused/other ${granted}/${refused}/${other}; CPU ms per request: ${cpu}`,
      );
    }
    const sorted = [...rates].sort((x, y) => x - y);
    console.log(
      `  reservations/s      median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} of ${ROUNDS} rounds (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}; target >= 3000 with 50 clients)`,
    );
    const overspendEvents = await storedOverspend(databaseUrl);
    console.log(`  overspend (replies) ${overspendReplies}`);
    console.log(`  overspend (events)  ${overspendEvents}`);
    console.log(`  refused with quota left ${underspend}`);
    return overspendReplies + overspendEvents + underspend;
  } finally {
    await nc?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('quota bench failed:', error);
    process.exit(1);
  },
);
