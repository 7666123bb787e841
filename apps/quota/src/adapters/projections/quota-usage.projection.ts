import type { EventEnvelope, QuotaLimitSet, TierSet } from '@rcp/contracts';
import type { InlineProjection } from '@rcp/eventing';
import type { Tx } from '@rcp/persistence';

const ACCOUNT_EVENTS = [
  'QuotaReserved',
  'QuotaReservationCommitted',
  'QuotaReservationReleased',
  'QuotaReservationExpired',
  'QuotaConsumed',
  'QuotaRefused',
] as const;

/** The change one account event makes to its `quota_usage` row. */
export interface UsageChange {
  tenantId: string;
  meter: string;
  month: string;
  count: number;
  reserved: number;
  refused: number;
  limit: number | null;
  tier: string | null;
  /** Stream version of the event that set limit and tier (0 when it sets neither). */
  limitVersion: number;
  /** First and last occurrence merged into this change. */
  firstAt: string;
  at: string;
}

type AccountData = { tenantId: string; meter: string; month: string; units?: number } & Record<
  string,
  unknown
>;

/** Pure: the usage change of an account event. */
export function usageChange(event: EventEnvelope): UsageChange {
  const d = event.data as AccountData;
  const units = d.units ?? 0;
  const limit = typeof d.limit === 'number' ? d.limit : null;
  let count = 0;
  let reserved = 0;
  let refused = 0;
  switch (event.type) {
    case 'QuotaReserved':
      reserved = units;
      break;
    case 'QuotaReservationCommitted':
      count = units;
      reserved = -(units + Number(d.releasedUnits ?? 0));
      break;
    case 'QuotaReservationReleased':
    case 'QuotaReservationExpired':
      reserved = -units;
      break;
    case 'QuotaConsumed':
      count = units;
      break;
    default:
      refused = 1;
  }
  // One literal (not spreads): this runs for every grant of a batch.
  return {
    tenantId: d.tenantId,
    meter: d.meter,
    month: d.month,
    count,
    reserved,
    refused,
    limit,
    tier: typeof d.tier === 'string' ? d.tier : null,
    limitVersion: limit === null ? 0 : event.aggregate.version,
    firstAt: event.occurredAt,
    at: event.occurredAt,
  };
}

/** Sums the changes per row; the newest limit wins. */
export function mergeChanges(changes: UsageChange[]): UsageChange[] {
  const rows = new Map<string, UsageChange>();
  for (const c of changes) {
    const key = `${c.tenantId}\u0000${c.meter}\u0000${c.month}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, { ...c });
      continue;
    }
    row.count += c.count;
    row.reserved += c.reserved;
    row.refused += c.refused;
    if (c.at > row.at) row.at = c.at;
    if (c.firstAt < row.firstAt) row.firstAt = c.firstAt;
    if (c.limitVersion > row.limitVersion)
      Object.assign(row, { limit: c.limit, tier: c.tier, limitVersion: c.limitVersion });
  }
  return [...rows.values()];
}

const col = <K extends keyof UsageChange>(rows: UsageChange[], key: K) => rows.map((r) => r[key]);

/**
 * The upsert of merged changes read from `source` (eleven columns: tenant, meter, month, count,
 * reserved, refused, limit, tier, limit version, first and last time): commutative increments,
 * and limit/tier only from a newer event, so it is safe under replicas. Shared with the grant
 * batch, which writes it inside its one statement.
 */
export const upsertUsageSql = (source: string, where = '') => `
  INSERT INTO quota_usage AS u (tenant_id, meter, month, count, reserved, refused_count, quota_limit, tier, limit_version, created_at, updated_at)
  SELECT t, m, mo, c, r, rf, l, ti, lv, fa, at FROM ${source} AS x(t, m, mo, c, r, rf, l, ti, lv, fa, at) ${where}
  ON CONFLICT (tenant_id, meter, month) DO UPDATE SET
    count = u.count + EXCLUDED.count,
    reserved = u.reserved + EXCLUDED.reserved,
    refused_count = u.refused_count + EXCLUDED.refused_count,
    quota_limit = CASE WHEN EXCLUDED.limit_version > u.limit_version THEN EXCLUDED.quota_limit ELSE u.quota_limit END,
    tier = CASE WHEN EXCLUDED.limit_version > u.limit_version THEN EXCLUDED.tier ELSE u.tier END,
    limit_version = GREATEST(u.limit_version, EXCLUDED.limit_version),
    created_at = LEAST(u.created_at, EXCLUDED.created_at),
    updated_at = GREATEST(u.updated_at, EXCLUDED.updated_at)`;

async function upsertUsage(tx: Tx, rows: UsageChange[]): Promise<void> {
  await tx.query(
    upsertUsageSql(
      'unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::text[], $9::int[], $10::timestamptz[], $11::timestamptz[])',
    ),
    [
      col(rows, 'tenantId'),
      col(rows, 'meter'),
      col(rows, 'month'),
      col(rows, 'count'),
      col(rows, 'reserved'),
      col(rows, 'refused'),
      col(rows, 'limit'),
      col(rows, 'tier'),
      col(rows, 'limitVersion'),
      col(rows, 'firstAt'),
      col(rows, 'at'),
    ],
  );
}

async function applySetting(event: EventEnvelope, tx: Tx): Promise<void> {
  const version = event.aggregate.version;
  if (event.type === 'TierSet') {
    const d = event.data as TierSet;
    await tx.query(
      `INSERT INTO quota_tenants (tenant_id, tier, version, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET tier = EXCLUDED.tier, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE quota_tenants.version < EXCLUDED.version`,
      [d.tenantId, d.tier, version, event.occurredAt],
    );
    return;
  }
  const d = event.data as QuotaLimitSet;
  await tx.query(
    `INSERT INTO quota_limits (tenant_id, meter, quota_limit, version, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, meter) DO UPDATE SET quota_limit = EXCLUDED.quota_limit, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
     WHERE quota_limits.version < EXCLUDED.version`,
    [d.tenantId, d.meter, d.limit, version, event.occurredAt],
  );
}

const isAccountEvent = (e: EventEnvelope) => (ACCOUNT_EVENTS as readonly string[]).includes(e.type);

/**
 * `quota_usage` per (tenant, meter, month) — seed 003's usage table — plus tiers and explicit
 * limits. Inline: applied in the transaction of the command that appends the event (the grant
 * batch applies its merged changes itself, see `batch-store.ts`), rebuilt from `events`.
 */
export const quotaUsageProjection: InlineProjection = {
  name: 'quota-usage',
  eventTypes: [...ACCOUNT_EVENTS, 'TierSet', 'QuotaLimitSet'],
  tables: ['quota_usage', 'quota_tenants', 'quota_limits'],
  async apply(event, tx) {
    if (isAccountEvent(event)) await upsertUsage(tx, [usageChange(event)]);
    else await applySetting(event, tx);
  },
};
