import type { PoolClient } from 'pg';
import { SqlArrays } from '@rcp/persistence';
import { upsertUsageSql, type UsageChange } from '../projections/quota-usage.projection';
import { SNAPSHOT_SCHEMA } from './account-store';
import { earliestGrantsSql, type BatchReadKeys } from './batch-store';

/** Everything a batch writes, in one statement. */
export interface BatchWrite {
  /** Each event's columns (its metadata is built from them) and its outbox row. */
  events: Array<{
    eventId: string;
    streamId: string;
    streamVersion: number;
    type: string;
    data: string;
    commandId: string;
    actor: string;
    occurredAt: string;
    subject: string;
    /** The envelope as published, and the message headers (JSON). */
    payload: string;
    headers: string;
  }>;
  processed: Array<{ commandId: string; name: string; hash: string; reply: string }>;
  timers: Array<{ timerId: string; kind: string; dueAt: string; payload: string }>;
  snapshots: Array<{ streamId: string; version: number; state: string }>;
  /** The batch's changes to `quota_usage`, merged per row (the inline projection). */
  usage: UsageChange[];
}

/** What a batch decided from cached state assumed: the streams' versions, no earlier command or grant. */
export interface BatchGuard {
  keys: BatchReadKeys;
  /** Every account and settings stream of the batch, at the version it was decided on (0: none). */
  versions: Map<string, number>;
}

const unnest = (...columns: string[]) => `unnest(${columns.join(', ')})`;

/** The batch's `quota_usage` upsert (the inline projection's SQL). */
function usageSql(rows: UsageChange[], where: string, arrays: SqlArrays): string {
  const text = (pick: (r: UsageChange) => string | null) => arrays.of(rows.map(pick), 'text');
  const source = unnest(
    text((r) => r.tenantId),
    text((r) => r.meter),
    text((r) => r.month),
    arrays.ints(rows.map((r) => r.count)),
    arrays.ints(rows.map((r) => r.reserved)),
    arrays.ints(rows.map((r) => r.refused)),
    arrays.ints(rows.map((r) => r.limit)),
    text((r) => r.tier),
    arrays.ints(rows.map((r) => r.limitVersion)),
    arrays.of(
      rows.map((r) => r.firstAt),
      'timestamptz',
    ),
    arrays.of(
      rows.map((r) => r.at),
      'timestamptz',
    ),
  );
  return upsertUsageSql(source, where);
}

/**
 * True when nothing the batch assumed has moved: none of its idempotency keys granted, and no
 * stream it reads past its version. The unique keys check the rest at insert, with a unique
 * violation (see guardedWriteAndCommit): a stored commandId (processed_commands' primary key),
 * and an account the batch appends to that moved (its first new event takes the version
 * another writer took, `events_stream_version_uq`), so the guard looks those streams up no more.
 */
function guardSql({ keys, versions }: BatchGuard, write: BatchWrite, arrays: SqlArrays): string {
  const appendedAt = new Map<string, number>();
  for (const e of write.events)
    if (!appendedAt.has(e.streamId)) appendedAt.set(e.streamId, e.streamVersion);
  const read = [...versions].filter(([id, version]) => appendedAt.get(id) !== version + 1);
  const streams = unnest(
    arrays.of(
      read.map(([id]) => id),
      'text',
    ),
    arrays.ints(read.map(([, version]) => version)),
  );
  return `guard AS MATERIALIZED (SELECT
    NOT EXISTS (SELECT 1 FROM ${earliestGrantsSql(keys, '1', arrays)})
    AND NOT EXISTS (SELECT 1 FROM ${streams} v(sid, expected)
      WHERE coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = v.sid), 0) <> v.expected) AS ok),
  `;
}

/** The events' columns, one array each. */
function eventsSql(events: BatchWrite['events'], arrays: SqlArrays): string {
  const column = (pick: (e: BatchWrite['events'][number]) => string, type: string) =>
    arrays.of(events.map(pick), type);
  return unnest(
    column((e) => e.eventId, 'uuid'),
    column((e) => e.streamId, 'text'),
    arrays.ints(events.map((e) => e.streamVersion)),
    column((e) => e.type, 'text'),
    arrays.json(
      events.map((e) => e.data),
      'jsonb',
    ),
    column((e) => e.commandId, 'uuid'),
    column((e) => e.actor, 'text'),
    column((e) => e.occurredAt, 'text'),
    column((e) => e.subject, 'text'),
    arrays.json(
      events.map((e) => e.payload),
      'text',
    ),
    arrays.json(
      events.map((e) => e.headers),
      'jsonb',
    ),
  );
}

/** One statement for the whole batch; with a guard, it writes nothing unless the guard holds. */
function writeSql(write: BatchWrite, arrays: SqlArrays, guard?: BatchGuard): string {
  const { processed: p, timers: t, snapshots: s } = write;
  const where = guard ? 'WHERE (SELECT ok FROM guard)' : '';
  const column = <T>(rows: T[], pick: (row: T) => string, type: string) =>
    arrays.of(rows.map(pick), type);
  return `WITH ${guard ? guardSql(guard, write, arrays) : ''}batch AS MATERIALIZED (
    SELECT e.*, json_build_object('correlationId', e.cid, 'causationId', e.cid, 'actor', e.actor) AS meta
      FROM ${eventsSql(write.events, arrays)} AS e(id, sid, sv, type, data, cid, actor, at, subject, payload, headers) ${where}),
  appended AS (
    INSERT INTO events (event_id, stream_id, stream_version, aggregate_type, type, version, data, metadata, occurred_at)
    SELECT id, sid, sv, 'QuotaAccount', type, 1, data, meta, at::timestamptz FROM batch
    RETURNING 1),
  published AS (
    INSERT INTO outbox (event_id, subject, payload, headers) SELECT id, subject, payload, headers FROM batch
    RETURNING 1),
  replies AS (
    INSERT INTO processed_commands (command_id, command_name, payload_hash, reply) SELECT * FROM ${unnest(
      column(p, (x) => x.commandId, 'uuid'),
      column(p, (x) => x.name, 'text'),
      column(p, (x) => x.hash, 'text'),
      arrays.json(
        p.map((x) => x.reply),
        'jsonb',
      ),
    )} ${where}
    RETURNING 1),
  expiries AS (
    INSERT INTO timers (timer_id, kind, due_at, payload) SELECT * FROM ${unnest(
      column(t, (x) => x.timerId, 'uuid'),
      column(t, (x) => x.kind, 'text'),
      column(t, (x) => x.dueAt, 'timestamptz'),
      arrays.json(
        t.map((x) => x.payload),
        'jsonb',
      ),
    )} ${where}
    RETURNING 1),
  snapshots AS (
    INSERT INTO quota_account_snapshots (stream_id, version, schema_version, state)
    SELECT s.sid, s.v, ${SNAPSHOT_SCHEMA}, s.state FROM ${unnest(
      column(s, (x) => x.streamId, 'text'),
      arrays.ints(s.map((x) => x.version)),
      arrays.json(
        s.map((x) => x.state),
        'jsonb',
      ),
    )} AS s(sid, v, state) ${where}
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state
    WHERE quota_account_snapshots.version < EXCLUDED.version OR quota_account_snapshots.schema_version <> EXCLUDED.schema_version
    RETURNING 1),
  usage AS (${usageSql(write.usage, where, arrays)}
    RETURNING 1)
  SELECT ${guard ? '(SELECT ok FROM guard)' : 'true'} AS ok`;
}

/**
 * Events + outbox + stored replies + expiry timers + account snapshots + usage, then COMMIT: one
 * round trip, in the transaction whose locks and read decided the batch. A failing statement skips
 * the COMMIT; the caller rolls back.
 */
export async function writeAndCommit(client: PoolClient, write: BatchWrite): Promise<void> {
  if (write.processed.length === 0) return void (await client.query('COMMIT'));
  await client.query(`${writeSql(write, new SqlArrays('inline'))}; COMMIT`);
}

/** Prepared statement names per distinct text (the text only changes with the code). */
const statementNames = new Map<string, string>();

/**
 * A batch decided without reading, in one round trip and one statement (its own transaction),
 * which writes nothing unless the guard holds. A commandId already stored, or an account the
 * batch appends to that another writer moved (before the statement or during it), makes the
 * insert fail with a unique violation (23505) instead: nothing is written either way.
 * Returns whether the batch was written. The arrays go as parameters of a prepared statement,
 * run on the GuardedWriter's session (one generic plan, index lookups only).
 */
export async function guardedWriteAndCommit(
  client: PoolClient,
  guard: BatchGuard,
  write: BatchWrite,
): Promise<boolean> {
  const arrays = new SqlArrays('parameters');
  const text = writeSql(write, arrays, guard);
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `quota-guarded-write-${statementNames.size + 1}`));
  const result = await client.query<{ ok: boolean }>({ name, text, values: arrays.values });
  return result.rows[0].ok === true;
}
