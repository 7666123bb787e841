import type { PoolClient } from 'pg';
import type { Reply } from '@rcp/contracts';
import type { QuotaAccountState } from '../../domain/quota-account/quota-account';
import type { GrantEvent } from './account-store';
import { SNAPSHOT_SCHEMA } from './account-store';
import { SqlArrays } from '@rcp/persistence';

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
  /** The last event of each settings stream that has one, and that stream's version. */
  settings: Map<string, { version: number; data: object }>;
  accounts: Map<string, StoredAccount>;
  grants: Map<string, GrantEvent>;
}

/** An account as stored: its snapshot (or none) and the events after it. */
export interface StoredAccount {
  version: number;
  /** The version of the stored snapshot, when `version` is past it (a cached account). */
  snapshotVersion?: number;
  state?: QuotaAccountState;
  tail: TailEvent[];
}

export interface TailEvent {
  streamId: string;
  version: number;
  type: string;
  data: object;
}

export const grantKey = (streamId: string, key: string) => `${streamId}\n${key}`;

/**
 * The accounts' advisory locks (the same keys as lockStream) in one fixed order, so two replicas
 * locking overlapping sets queue instead of deadlocking.
 */
function lockSql(streamIds: string[], arrays: SqlArrays): string {
  return `SELECT count(pg_advisory_xact_lock(k)) FROM (
    SELECT DISTINCT hashtext(s) AS k FROM unnest(${arrays.of(streamIds, 'text')}) s ORDER BY k) l`;
}

/**
 * `FROM` rows: each (stream, key) pair of the batch joined to the first grant of that key, if any.
 * One index probe per pair: a plain join let the planner hash every grant of the accounts.
 */
export function earliestGrantsSql(keys: BatchReadKeys, columns: string, arrays: SqlArrays): string {
  return `unnest(${arrays.of(keys.grantStreams, 'text')}, ${arrays.of(keys.grantKeys, 'text')}) g(sid, key)
     CROSS JOIN LATERAL (SELECT ${columns} FROM events e
       WHERE e.stream_id = g.sid AND e.data->>'idempotencyKey' = g.key AND e.type IN ('QuotaReserved', 'QuotaConsumed')
       ORDER BY e.stream_version LIMIT 1) e`;
}

function readSql(keys: BatchReadKeys, arrays: SqlArrays): string {
  return `SELECT
  (SELECT coalesce(json_agg(json_build_object('id', command_id, 'hash', payload_hash, 'reply', reply)), '[]')
     FROM processed_commands WHERE command_id = ANY(${arrays.of(keys.commandIds, 'uuid')})) AS seen,
  (SELECT coalesce(json_agg(json_build_object('id', stream_id, 'version', stream_version, 'data', data)), '[]') FROM (
     SELECT DISTINCT ON (stream_id) stream_id, stream_version, data FROM events WHERE stream_id = ANY(${arrays.of(keys.settingStreams, 'text')})
      ORDER BY stream_id, stream_version DESC) s) AS settings,
  (SELECT coalesce(json_agg(json_build_object('id', a.sid, 'version', a.version, 'state', a.state,
       'tail', (SELECT coalesce(json_agg(json_build_object('streamId', e.stream_id, 'version', e.stream_version,
                  'type', e.type, 'data', e.data) ORDER BY e.stream_version), '[]')
                  FROM events e WHERE e.stream_id = a.sid AND e.stream_version > a.version))), '[]')
     FROM (SELECT u.sid, coalesce(q.version, 0) AS version, q.state FROM unnest(${arrays.of(keys.accountStreams, 'text')}) u(sid)
            LEFT JOIN quota_account_snapshots q ON q.stream_id = u.sid AND q.schema_version = ${SNAPSHOT_SCHEMA}) a) AS accounts,
  (SELECT coalesce(json_agg(json_build_object('id', g.sid, 'key', g.key, 'type', e.type, 'data', e.data)), '[]')
     FROM ${earliestGrantsSql(keys, 'e.type, e.data', arrays)}) AS grants`;
}

interface ReadRow {
  seen: Array<{ id: string; hash: string; reply: Reply<unknown> }>;
  settings: Array<{ id: string; version: number; data: object }>;
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
  for (const g of row.grants)
    grants.set(grantKey(g.id, g.key), { type: g.type, data: g.data } as GrantEvent);
  return {
    seen: new Map(row.seen.map((s) => [s.id, { hash: s.hash, reply: s.reply }])),
    settings: new Map(row.settings.map((s) => [s.id, { version: s.version, data: s.data }])),
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
    `BEGIN; ${lockSql(keys.accountStreams, new SqlArrays('inline'))}; ${readSql(keys, new SqlArrays('inline'))}`,
  )) as unknown as Array<{ rows: ReadRow[] }>;
  return toBatchRead(results[2].rows[0]);
}
