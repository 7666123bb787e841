import type { QuotaConsumed, QuotaReserved, QuotaTier } from '@rcp/contracts';
import type { CommandSession } from '@rcp/eventing';
import { streamIdOf, type StreamRef, type Tx } from '@rcp/persistence';
import type { PreviousGrant } from '../../domain/quota-account/quota-account.decide';
import {
  evolveQuotaAccount,
  initialQuotaAccount,
  type AccountId,
  reservationFacts,
  type QuotaAccountEvent,
  type QuotaAccountState,
  type ReservationFacts,
} from '../../domain/quota-account/quota-account';
import { evolveMeterLimit, initialMeterLimit } from '../../domain/meter-limit/meter-limit';
import { evolveTenant, initialTenant } from '../../domain/tenant/tenant';

/** Snapshots are a cache of the fold: bump this when the state's shape changes. */
export const SNAPSHOT_SCHEMA = 1;
export const SNAPSHOT_EVERY = 32;
/** The events of one reservation; `idx_events_quota_reservation` covers exactly these. */
const RESERVATION_TYPES =
  "'QuotaReserved', 'QuotaReservationCommitted', 'QuotaReservationReleased', 'QuotaReservationExpired'";

export const accountRef = (a: AccountId): StreamRef => ({
  aggregateType: 'QuotaAccount',
  aggregateId: `${a.tenantId}/${a.meter}/${a.month}`,
});
export const meterLimitRef = (tenantId: string, meter: string): StreamRef => ({
  aggregateType: 'QuotaAccount',
  aggregateId: `${tenantId}/${meter}`,
});
export const tenantRef = (tenantId: string): StreamRef => ({
  aggregateType: 'Tenant',
  aggregateId: tenantId,
});

export interface LoadedAccount {
  ref: StreamRef;
  state: QuotaAccountState;
  version: number;
  snapshotVersion: number;
}

/** Serialises the writers of one account (replicas included): losers wait instead of conflicting. */
export async function lockStream(tx: Tx, ref: StreamRef): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [streamIdOf(ref)]);
}

/** Folds the account from its latest snapshot plus the events after it. */
export async function loadAccount(tx: Tx, account: AccountId): Promise<LoadedAccount> {
  const ref = accountRef(account);
  const streamId = streamIdOf(ref);
  const [snapshot] = await tx.query<{ version: number; state: QuotaAccountState }>(
    'SELECT version, state FROM quota_account_snapshots WHERE stream_id = $1 AND schema_version = $2',
    [streamId, SNAPSHOT_SCHEMA],
  );
  const from = snapshot?.version ?? 0;
  const rows = await tx.query<{ stream_version: number; type: string; data: object }>(
    'SELECT stream_version, type, data FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version',
    [streamId, from],
  );
  const state = rows.reduce(
    (s, row) => evolveQuotaAccount(s, { type: row.type, data: row.data } as QuotaAccountEvent),
    snapshot?.state ?? initialQuotaAccount,
  );
  return { ref, state, version: rows.at(-1)?.stream_version ?? from, snapshotVersion: from };
}

/** Appends the decided events and refreshes the snapshot every SNAPSHOT_EVERY events. */
export async function appendAccount(
  session: CommandSession,
  loaded: LoadedAccount,
  events: QuotaAccountEvent[],
): Promise<QuotaAccountState> {
  if (events.length === 0) return loaded.state;
  await session.append(
    loaded.ref,
    loaded.version,
    events.map((e) => ({ type: e.type, data: e.data, stateCode: null })),
  );
  const state = events.reduce(evolveQuotaAccount, loaded.state);
  const version = loaded.version + events.length;
  if (version - loaded.snapshotVersion >= SNAPSHOT_EVERY)
    await session.tx.query(
      `INSERT INTO quota_account_snapshots (stream_id, version, schema_version, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state
       WHERE quota_account_snapshots.version < EXCLUDED.version OR quota_account_snapshots.schema_version <> EXCLUDED.schema_version`,
      [streamIdOf(loaded.ref), version, SNAPSHOT_SCHEMA, JSON.stringify(state)],
    );
  return state;
}

export type GrantEvent =
  { type: 'QuotaReserved'; data: QuotaReserved } | { type: 'QuotaConsumed'; data: QuotaConsumed };

/** The grant an idempotency key already got on this account, if any. */
export async function findGrant(
  tx: Tx,
  ref: StreamRef,
  key: string,
): Promise<GrantEvent | undefined> {
  const [row] = await tx.query<GrantEvent>(
    `SELECT type, data FROM events WHERE stream_id = $1 AND type IN ('QuotaReserved', 'QuotaConsumed')
       AND data->>'idempotencyKey' = $2 ORDER BY stream_version LIMIT 1`,
    [streamIdOf(ref), key],
  );
  return row;
}

export function previousOf(grant: GrantEvent | undefined): PreviousGrant | undefined {
  if (!grant) return undefined;
  return grant.type === 'QuotaReserved'
    ? { kind: 'reservation', reservationId: grant.data.reservationId, units: grant.data.units }
    : { kind: 'consumption', consumptionId: grant.data.consumptionId, units: grant.data.units };
}

/** The QuotaReserved of a reservation (immutable: it names the account to lock). */
export async function findReservation(
  tx: Tx,
  reservationId: string,
): Promise<QuotaReserved | undefined> {
  const [row] = await tx.query<{ data: QuotaReserved }>(
    `SELECT data FROM events WHERE type = 'QuotaReserved' AND data->>'reservationId' = $1 LIMIT 1`,
    [reservationId],
  );
  return row?.data;
}

/** The facts of a reservation from its own events; read under the account's lock. */
export async function loadReservation(tx: Tx, reservationId: string): Promise<ReservationFacts> {
  const rows = await tx.query<{ type: string; data: { units?: number } }>(
    `SELECT type, data FROM events WHERE type IN (${RESERVATION_TYPES}) AND data->>'reservationId' = $1
      ORDER BY global_position`,
    [reservationId],
  );
  return reservationFacts(rows);
}

/** The tenant's tier and the meter's explicit limit: each is its stream's last event. */
export async function loadSettings(
  tx: Tx,
  tenantId: string,
  meter: string,
): Promise<{ tier: QuotaTier; explicitLimit: number | null }> {
  const tenantStream = streamIdOf(tenantRef(tenantId));
  const rows = await tx.query<{ stream_id: string; type: string; data: never }>(
    `SELECT DISTINCT ON (stream_id) stream_id, type, data FROM events WHERE stream_id = ANY($1::text[])
      ORDER BY stream_id, stream_version DESC`,
    [[tenantStream, streamIdOf(meterLimitRef(tenantId, meter))]],
  );
  let tenant = initialTenant;
  let limit = initialMeterLimit;
  for (const row of rows) {
    if (row.stream_id === tenantStream)
      tenant = evolveTenant(tenant, { type: 'TierSet', data: row.data });
    else limit = evolveMeterLimit(limit, { type: 'QuotaLimitSet', data: row.data });
  }
  return { tier: tenant.tier, explicitLimit: limit.limit };
}
