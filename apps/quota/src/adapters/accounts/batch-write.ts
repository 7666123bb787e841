import type { PoolClient } from 'pg';
import { HEADERS } from '@rcp/contracts';
import { upsertUsageSql, type UsageChange } from '../projections/quota-usage.projection';
import { SNAPSHOT_SCHEMA } from './account-store';
import { earliestGrantsSql, lockSql, type BatchReadKeys } from './batch-store';
import { ints, list, literal } from './sql-literals';

/** Everything a batch writes, in one statement. */
export interface BatchWrite {
  /** Each event's columns; its envelope (the outbox payload), metadata and headers are built from them. */
  events: Array<{
    eventId: string;
    streamId: string;
    aggregateId: string;
    streamVersion: number;
    type: string;
    data: string;
    commandId: string;
    actor: string;
    occurredAt: string;
    subject: string;
    traceHeaders: Record<string, string>;
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
const text = (values: Array<string | null>) =>
  `ARRAY[${values.map((v) => (v === null ? 'NULL' : literal(v))).join(',')}]::text[]`;

/** The batch's `quota_usage` upsert (the inline projection's SQL, fed from literals). */
function usageSql(rows: UsageChange[], where: string): string {
  const source = unnest(
    text(rows.map((r) => r.tenantId)),
    text(rows.map((r) => r.meter)),
    text(rows.map((r) => r.month)),
    ints(rows.map((r) => r.count)),
    ints(rows.map((r) => r.reserved)),
    ints(rows.map((r) => r.refused)),
    ints(rows.map((r) => r.limit)),
    text(rows.map((r) => r.tier)),
    ints(rows.map((r) => r.limitVersion)),
    list(
      rows.map((r) => r.firstAt),
      'timestamptz',
    ),
    list(
      rows.map((r) => r.at),
      'timestamptz',
    ),
  );
  return upsertUsageSql(source, where);
}

/**
 * True when nothing the batch assumed has moved: no stream past its version, none of its
 * commandIds stored, none of its idempotency keys granted. Read after the accounts' locks.
 */
function guardSql({ keys, versions }: BatchGuard): string {
  return `guard AS MATERIALIZED (SELECT
    NOT EXISTS (SELECT 1 FROM processed_commands WHERE command_id = ANY(${list(keys.commandIds, 'uuid')}))
    AND NOT EXISTS (SELECT 1 FROM ${earliestGrantsSql(keys, '1')})
    AND NOT EXISTS (SELECT 1 FROM ${unnest(list([...versions.keys()], 'text'), ints([...versions.values()]))} v(sid, expected)
      WHERE coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = v.sid), 0) <> v.expected) AS ok),
  `;
}

/** The events' columns, one array each. */
function eventsSql(events: BatchWrite['events']): string {
  const column = (pick: (e: BatchWrite['events'][number]) => string, type: string) =>
    list(events.map(pick), type);
  return unnest(
    column((e) => e.eventId, 'uuid'),
    column((e) => e.streamId, 'text'),
    column((e) => e.aggregateId, 'text'),
    ints(events.map((e) => e.streamVersion)),
    column((e) => e.type, 'text'),
    column((e) => e.data, 'jsonb'),
    column((e) => e.commandId, 'uuid'),
    column((e) => e.actor, 'text'),
    column((e) => e.occurredAt, 'text'),
    column((e) => e.subject, 'text'),
    column((e) => JSON.stringify(e.traceHeaders), 'jsonb'),
  );
}

function writeSql(write: BatchWrite, guard?: BatchGuard): string {
  const { events: e, processed: p, timers: t, snapshots: s } = write;
  const where = guard ? 'WHERE (SELECT ok FROM guard)' : '';
  return `WITH ${guard ? guardSql(guard) : ''}batch AS MATERIALIZED (
    SELECT e.*, json_build_object('correlationId', e.cid, 'causationId', e.cid, 'actor', e.actor) AS meta
      FROM ${eventsSql(e)} AS e(id, sid, aid, sv, type, data, cid, actor, at, subject, trace) ${where}),
  appended AS (
    INSERT INTO events (event_id, stream_id, stream_version, aggregate_type, type, version, data, metadata, occurred_at)
    SELECT id, sid, sv, 'QuotaAccount', type, 1, data, meta, at::timestamptz FROM batch
    RETURNING 1),
  published AS (
    INSERT INTO outbox (event_id, subject, payload, headers)
    SELECT id, subject, json_build_object('id', id, 'type', type, 'version', 1, 'occurredAt', at, 'source', 'quota',
        'aggregate', json_build_object('type', 'QuotaAccount', 'id', aid, 'version', sv),
        'correlationId', cid, 'causationId', cid, 'actor', actor, 'data', data)::text,
      trace || jsonb_build_object(${literal(HEADERS.eventType)}, type, ${literal(HEADERS.eventVersion)}, '1')
      FROM batch
    RETURNING 1),
  replies AS (
    INSERT INTO processed_commands (command_id, command_name, payload_hash, reply) SELECT * FROM ${unnest(
      list(
        p.map((x) => x.commandId),
        'uuid',
      ),
      list(
        p.map((x) => x.name),
        'text',
      ),
      list(
        p.map((x) => x.hash),
        'text',
      ),
      list(
        p.map((x) => x.reply),
        'jsonb',
      ),
    )} ${where}
    RETURNING 1),
  expiries AS (
    INSERT INTO timers (timer_id, kind, due_at, payload) SELECT * FROM ${unnest(
      list(
        t.map((x) => x.timerId),
        'uuid',
      ),
      list(
        t.map((x) => x.kind),
        'text',
      ),
      list(
        t.map((x) => x.dueAt),
        'timestamptz',
      ),
      list(
        t.map((x) => x.payload),
        'jsonb',
      ),
    )} ${where}
    ON CONFLICT (timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, attempts = 0, last_error = NULL
    RETURNING 1),
  snapshots AS (
    INSERT INTO quota_account_snapshots (stream_id, version, schema_version, state)
    SELECT s.sid, s.v, ${SNAPSHOT_SCHEMA}, s.state FROM ${unnest(
      list(
        s.map((x) => x.streamId),
        'text',
      ),
      ints(s.map((x) => x.version)),
      list(
        s.map((x) => x.state),
        'jsonb',
      ),
    )} AS s(sid, v, state) ${where}
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state
    WHERE quota_account_snapshots.version < EXCLUDED.version OR quota_account_snapshots.schema_version <> EXCLUDED.schema_version
    RETURNING 1)${
      write.usage.length > 0
        ? `,
  usage AS (${usageSql(write.usage, where)}
    RETURNING 1)`
        : ''
    }
  SELECT ${guard ? '(SELECT ok FROM guard)' : 'true'} AS ok`;
}

/**
 * Events + outbox + stored replies + expiry timers + account snapshots, then COMMIT: one round
 * trip. A failing statement skips the COMMIT; the caller rolls back.
 */
export async function writeAndCommit(client: PoolClient, write: BatchWrite): Promise<void> {
  await client.query(write.processed.length > 0 ? `${writeSql(write)}; COMMIT` : 'COMMIT');
}

/**
 * A batch decided without reading, in one round trip: the accounts' locks, then the write, which
 * inserts nothing unless the guard holds. Without BEGIN, the two statements of one simple query
 * are one transaction that commits at its end and rolls back by itself on an error, so writes
 * queued on one connection stay independent. Returns whether it was written; the locks make the
 * guard's read see every writer before it, and hold off the ones after it.
 */
export async function guardedWriteAndCommit(
  client: PoolClient,
  guard: BatchGuard,
  write: BatchWrite,
): Promise<boolean> {
  const results = (await client.query(
    `${lockSql(guard.keys.accountStreams)}; ${writeSql(write, guard)}`,
  )) as unknown as Array<{ rows: Array<{ ok: boolean }> }>;
  return results[1].rows[0].ok === true;
}
