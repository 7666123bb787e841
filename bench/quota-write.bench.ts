// npm run bench:quota-write — the quota service's guarded batch write alone (one statement, one
// commit), on one connection with the writer's session: ms per batch of 50 grants over 10 fresh
// accounts. With BENCH_COMPARE=<another checkout, built>, that checkout's write takes turns with
// this one on the same database, batch by batch, so a change to the statement can be measured on
// a shared machine whose speed drifts by more than the change (compare the minimums and medians).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { PoolClient } from 'pg';
import { openDatabase, type Database } from '@rcp/persistence';
import { adminQuery, adminUrl } from '@rcp/testing';
import { withDatabase } from '@rcp/infra';
import { GrantKeyIndex1763900000000 } from '../apps/quota/src/adapters/migrations/grant-key-index.migration';
import { QuotaTables1763700700000 } from '../apps/quota/src/adapters/migrations/quota-tables.migration';

const BATCH = Number(process.env.BENCH_BATCH ?? 50);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 400);
const WARMUP = 20;

/** The modules of one checkout's build that make and write a batch. */
interface Build {
  name: string;
  batchWrite: typeof import('../apps/quota/src/adapters/accounts/batch-write');
  grantBatch: typeof import('../apps/quota/src/adapters/accounts/grant-batch');
  grantItem: typeof import('../apps/quota/src/adapters/accounts/grant-item');
  writer: typeof import('../apps/quota/src/adapters/accounts/guarded-writer');
  config: typeof import('../apps/quota/src/adapters/quota.config');
  account: typeof import('../apps/quota/src/domain/quota-account/quota-account');
  ms: number[];
}

async function load(name: string, quotaSrc: string): Promise<Build> {
  const from = <T>(file: string): Promise<T> => import(path.join(quotaSrc, file)) as Promise<T>;
  return {
    name,
    batchWrite: await from('adapters/accounts/batch-write'),
    grantBatch: await from('adapters/accounts/grant-batch'),
    grantItem: await from('adapters/accounts/grant-item'),
    writer: await from('adapters/accounts/guarded-writer'),
    config: await from('adapters/quota.config'),
    account: await from('domain/quota-account/quota-account'),
    ms: [],
  };
}

/** One batch of fresh accounts (every stream at version 0), decided as from the cache, written. */
async function writeOnce(build: Build, client: PoolClient, run: number): Promise<number> {
  const now = new Date();
  const items = Array.from({ length: BATCH }, (_, i) =>
    build.grantItem.grantItem('ReserveQuota', {
      commandId: randomUUID(),
      actor: 'bench',
      tenantId: `write-${run}-${i % ACCOUNTS}`,
      meter: 'ai_evaluation',
      units: 1,
      idempotencyKey: `key-${i}`,
    }),
  );
  const keys = build.grantItem.readKeysOf(items, now);
  const streams = [...keys.accountStreams, ...keys.settingStreams];
  const versions = new Map(streams.map((s) => [s, 0]));
  const state = build.account.initialQuotaAccount;
  const accounts = new Map(
    keys.accountStreams.map((id) => [id, { version: 0, snapshotVersion: 0, state, tail: [] }]),
  );
  const read = { seen: new Map(), settings: new Map(), accounts, grants: new Map() };
  const config = build.config.loadQuotaConfig({});
  const batch = new build.grantBatch.GrantBatch(read, config, { now, occurredAt: now });
  for (const item of items) batch.decide(item);
  const write = batch.finish();
  const started = process.hrtime.bigint();
  if (!(await build.batchWrite.guardedWriteAndCommit(client, { keys, versions }, write)))
    throw new Error(`${build.name}: the guard refused fresh accounts`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const at = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))];

async function main(): Promise<void> {
  const builds = [await load('this checkout', path.join(__dirname, '../apps/quota/src'))];
  const other = process.env.BENCH_COMPARE;
  if (other) builds.push(await load(other, path.resolve(other, 'dist/apps/quota/src')));
  const database = `rcp_b_quota_write_${randomUUID().slice(0, 8)}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  let db: Database | undefined;
  try {
    db = await openDatabase({
      url: withDatabase(adminUrl(), database),
      schema: 'quota',
      migrations: [QuotaTables1763700700000, GrantKeyIndex1763900000000],
    });
    const clients = await Promise.all(builds.map(() => db!.pool.connect()));
    await Promise.all(builds.map((b, i) => clients[i].query(b.writer.WRITER_SESSION)));
    console.log(
      `quota write bench: ${BATCHES} guarded writes of ${BATCH} ReserveQuota over ${ACCOUNTS} fresh accounts per build, taking turns; ${builds.length} build(s)`,
    );
    for (let n = 0, run = 0; n < WARMUP + BATCHES; n++)
      for (let b = 0; b < builds.length; b++) {
        // Alternate which build goes first, so neither always follows the other's commit.
        const build = builds[(b + n) % builds.length];
        const ms = await writeOnce(build, clients[builds.indexOf(build)], run++);
        if (n >= WARMUP) build.ms.push(ms);
      }
    for (const client of clients) client.release();
    for (const { name, ms } of builds) {
      const sorted = [...ms].sort((x, y) => x - y);
      console.log(
        `  ${name.padEnd(24)} ms per batch: min ${at(sorted, 0).toFixed(2)}, p25 ${at(sorted, 0.25).toFixed(2)}, median ${at(sorted, 0.5).toFixed(2)}, p90 ${at(sorted, 0.9).toFixed(2)}`,
      );
    }
  } finally {
    await db?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('quota write bench failed:', error);
    process.exit(1);
  },
);
