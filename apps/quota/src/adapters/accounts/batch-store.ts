import { escapeLiteral, type PoolClient } from 'pg';
import type { Reply } from '@rcp/contracts';
import type { QuotaAccountState } from '../../domain/quota-account/quota-account';
import type { GrantEvent } from './account-store';
import { SNAPSHOT_SCHEMA } from './account-store';
import { upsertUsageSql, type UsageChange } from '../projections/quota-usage.projection';

/** What a batch of grants reads under its accounts' locks, in one round trip. */
export interface BatchReadKeys {
  commandIds: string[];
  /** The tenant and meter-limit streams whose last event sets the limit. */
  settingStreams: string[];
  accountStreams: string[];
  /** (account stream, idempotency key) pairs, as two parallel arrays. */
  grantStreams: string[];
  grantKeys: string[];
}

export interface BatchRead {
  seen: Map<string, { hash: string; reply: Reply<unknown> }>;
  settings: Map<string, object>;
  accounts: Map<string, { version: number; state?: QuotaAccountState; tail: TailEvent[] }>;
  grants: Map<string, GrantEvent>;
}

export interface TailEvent {
  streamId: string;
  version: number;
  type: string;
  data: object;
}

/** Everything a batch writes, in one statement. */
export interface BatchWrite {
  events: Array<{
    eventId: string;
    streamId: string;
    streamVersion: number;
    type: string;
    data: string;
    metadata: string;
    occurredAt: string;
    subject: string;
    payload: string;
    headers: string;
  }>;
  processed: Array<{ commandId: string; name: string; hash: string; reply: string }>;
  timers: Array<{ timerId: string; kind: string; dueAt: string; payload: string }>;
  snapshots: Array<{ streamId: string; version: number; state: string }>;
  /** The batch's changes to `quota_usage`, merged per row (the inline projection). */
  usage: UsageChange[];
}

export const grantKey = (streamId: string, key: string) => `${streamId}\n${key}`;

/** A text[] / uuid[] / jsonb[] / timestamptz[] literal; every element is escaped (see `literal`). */
function list(values: string[], type: string): string {
  return `ARRAY[${values.map(literal).join(',')}]::${type}[]`;
}

/**
 * pg's escapeLiteral walks the string a character at a time, which for event payloads was the
 * largest cost of a batch. Without a backslash, doubling the quotes is the same literal in both
 * forms; a string with one still goes through escapeLiteral (an E'' literal).
 */
export function literal(value: string): string {
  if (value.includes('\\')) return escapeLiteral(value);
  return `'${value.replace(/'/g, "''")}'`;
}

function ints(values: Array<number | null>): string {
  if (!values.every((v) => v === null || Number.isSafeInteger(v)))
    throw new Error('not an integer list');
  return `ARRAY[${values.map((v) => (v === null ? 'NULL' : v)).join(',')}]::int[]`;
}

/** The batch's `quota_usage` upsert (the inline projection's SQL, fed from literals). */
function usageSql(rows: UsageChange[]): string {
  const text = (values: Array<string | null>) =>
    `ARRAY[${values.map((v) => (v === null ? 'NULL' : literal(v))).join(',')}]::text[]`;
  return upsertUsageSql(`unnest(
    ${text(rows.map((r) => r.tenantId))}, ${text(rows.map((r) => r.meter))}, ${text(rows.map((r) => r.month))},
    ${ints(rows.map((r) => r.count))}, ${ints(rows.map((r) => r.reserved))}, ${ints(rows.map((r) => r.refused))},
    ${ints(rows.map((r) => r.limit))}, ${text(rows.map((r) => r.tier))}, ${ints(rows.map((r) => r.limitVersion))},
    ${list(
      rows.map((r) => r.firstAt),
      'timestamptz',
    )}, ${list(
      rows.map((r) => r.at),
      'timestamptz',
    )})`);
}

/**
 * The accounts' advisory locks (the same keys as lockStream) in one fixed order, so two replicas
 * locking overlapping sets queue instead of deadlocking.
 */
function lockSql(streamIds: string[]): string {
  return `SELECT count(pg_advisory_xact_lock(k)) FROM (
    SELECT DISTINCT hashtext(s) AS k FROM unnest(${list(streamIds, 'text')}) s ORDER BY k) l`;
}

function readSql(keys: BatchReadKeys): string {
  return `SELECT
  (SELECT coalesce(json_agg(json_build_object('id', command_id, 'hash', payload_hash, 'reply', reply)), '[]')
     FROM processed_commands WHERE command_id = ANY(${list(keys.commandIds, 'uuid')})) AS seen,
  (SELECT coalesce(json_agg(json_build_object('id', stream_id, 'data', data)), '[]') FROM (
     SELECT DISTINCT ON (stream_id) stream_id, data FROM events WHERE stream_id = ANY(${list(keys.settingStreams, 'text')})
      ORDER BY stream_id, stream_version DESC) s) AS settings,
  (SELECT coalesce(json_agg(json_build_object('id', a.sid, 'version', a.version, 'state', a.state,
       'tail', (SELECT coalesce(json_agg(json_build_object('streamId', e.stream_id, 'version', e.stream_version,
                  'type', e.type, 'data', e.data) ORDER BY e.stream_version), '[]')
                  FROM events e WHERE e.stream_id = a.sid AND e.stream_version > a.version))), '[]')
     FROM (SELECT u.sid, coalesce(q.version, 0) AS version, q.state FROM unnest(${list(keys.accountStreams, 'text')}) u(sid)
            LEFT JOIN quota_account_snapshots q ON q.stream_id = u.sid AND q.schema_version = ${SNAPSHOT_SCHEMA}) a) AS accounts,
  (SELECT coalesce(json_agg(json_build_object('id', e.stream_id, 'key', g.key, 'type', e.type, 'data', e.data)
       ORDER BY e.stream_version DESC), '[]')
     FROM unnest(${list(keys.grantStreams, 'text')}, ${list(keys.grantKeys, 'text')}) g(sid, key)
     JOIN events e ON e.stream_id = g.sid AND e.data->>'idempotencyKey' = g.key
      AND e.type IN ('QuotaReserved', 'QuotaConsumed')) AS grants`;
}

interface ReadRow {
  seen: Array<{ id: string; hash: string; reply: Reply<unknown> }>;
  settings: Array<{ id: string; data: object }>;
  accounts: Array<{
    id: string;
    version: number;
    state: QuotaAccountState | null;
    tail: TailEvent[];
  }>;
  grants: Array<{ id: string; key: string } & GrantEvent>;
}

function toBatchRead(row: ReadRow): BatchRead {
  const grants = new Map<string, GrantEvent>();
  // Newest first, so the earliest grant of a key is the one kept.
  for (const g of row.grants)
    grants.set(grantKey(g.id, g.key), { type: g.type, data: g.data } as GrantEvent);
  return {
    seen: new Map(row.seen.map((s) => [s.id, { hash: s.hash, reply: s.reply }])),
    settings: new Map(row.settings.map((s) => [s.id, s.data])),
    accounts: new Map(
      row.accounts.map((a) => [
        a.id,
        { version: a.version, state: a.state ?? undefined, tail: a.tail },
      ]),
    ),
    grants,
  };
}

/**
 * BEGIN, the locks, then the read — one round trip: in a multi-statement simple query each
 * statement takes its own snapshot, so the read sees every write committed before the locks.
 * Stored replies, settings, account snapshots + newer events, and earlier grants of the keys.
 */
export async function beginLockRead(client: PoolClient, keys: BatchReadKeys): Promise<BatchRead> {
  const results = (await client.query(
    `BEGIN; ${lockSql(keys.accountStreams)}; ${readSql(keys)}`,
  )) as unknown as Array<{ rows: ReadRow[] }>;
  return toBatchRead(results[2].rows[0]);
}

function writeSql(write: BatchWrite): string {
  const { events: e, processed: p, timers: t, snapshots: s } = write;
  return `WITH appended AS (
    INSERT INTO events (event_id, stream_id, stream_version, aggregate_type, type, version, data, metadata, occurred_at)
    SELECT e.id, e.sid, e.sv, 'QuotaAccount', e.type, 1, e.data, e.meta, e.at FROM unnest(
      ${list(
        e.map((x) => x.eventId),
        'uuid',
      )}, ${list(
        e.map((x) => x.streamId),
        'text',
      )},
      ${ints(e.map((x) => x.streamVersion))}, ${list(
        e.map((x) => x.type),
        'text',
      )},
      ${list(
        e.map((x) => x.data),
        'jsonb',
      )}, ${list(
        e.map((x) => x.metadata),
        'jsonb',
      )},
      ${list(
        e.map((x) => x.occurredAt),
        'timestamptz',
      )}) AS e(id, sid, sv, type, data, meta, at)
    RETURNING 1),
  published AS (
    INSERT INTO outbox (event_id, subject, payload, headers) SELECT * FROM unnest(
      ${list(
        e.map((x) => x.eventId),
        'uuid',
      )}, ${list(
        e.map((x) => x.subject),
        'text',
      )},
      ${list(
        e.map((x) => x.payload),
        'text',
      )}, ${list(
        e.map((x) => x.headers),
        'jsonb',
      )})
    RETURNING 1),
  replies AS (
    INSERT INTO processed_commands (command_id, command_name, payload_hash, reply) SELECT * FROM unnest(
      ${list(
        p.map((x) => x.commandId),
        'uuid',
      )}, ${list(
        p.map((x) => x.name),
        'text',
      )},
      ${list(
        p.map((x) => x.hash),
        'text',
      )}, ${list(
        p.map((x) => x.reply),
        'jsonb',
      )})
    RETURNING 1),
  expiries AS (
    INSERT INTO timers (timer_id, kind, due_at, payload) SELECT * FROM unnest(
      ${list(
        t.map((x) => x.timerId),
        'uuid',
      )}, ${list(
        t.map((x) => x.kind),
        'text',
      )},
      ${list(
        t.map((x) => x.dueAt),
        'timestamptz',
      )}, ${list(
        t.map((x) => x.payload),
        'jsonb',
      )})
    ON CONFLICT (timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, attempts = 0, last_error = NULL
    RETURNING 1),
  snapshots AS (
    INSERT INTO quota_account_snapshots (stream_id, version, schema_version, state)
    SELECT s.sid, s.v, ${SNAPSHOT_SCHEMA}, s.state FROM unnest(${list(
      s.map((x) => x.streamId),
      'text',
    )},
      ${ints(s.map((x) => x.version))}, ${list(
        s.map((x) => x.state),
        'jsonb',
      )}) AS s(sid, v, state)
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state
    WHERE quota_account_snapshots.version < EXCLUDED.version OR quota_account_snapshots.schema_version <> EXCLUDED.schema_version
    RETURNING 1)${
      write.usage.length > 0
        ? `,
  usage AS (${usageSql(write.usage)}
    RETURNING 1)`
        : ''
    }
  SELECT (SELECT count(*) FROM appended) AS events`;
}

/**
 * Events + outbox + stored replies + expiry timers + account snapshots, then COMMIT: one round
 * trip. A failing statement skips the COMMIT; the caller rolls back.
 */
export async function writeAndCommit(client: PoolClient, write: BatchWrite): Promise<void> {
  await client.query(write.processed.length > 0 ? `${writeSql(write)}; COMMIT` : 'COMMIT');
}
