import type { EventEnvelope } from '@rcp/contracts';
import type { DeliveryInfo, Projection } from '@rcp/eventing';
import type { EventStore, Tx } from '@rcp/persistence';
import { freeCounterKey, priceInOrder } from '../../domain/pricing/price-usage';
import { checkBudgets } from '../budget/budget-store';
import { insertUsageRows, upsertRollups } from './api-usage.sql';
import { parseUsage, type RecordedUsage } from './api-usage.parse';
import { PRICE_BOOK_LOCK, PriceBookReader } from './price-book.reader';

export const USAGE_TABLES = [
  'rollout_api_usage',
  'usage_daily_rollups',
  'community_rollout_costs',
  'state_rollout_costs',
  'free_unit_usage',
] as const;

type Item = { event: EventEnvelope; delivery: DeliveryInfo };

/**
 * `ApiUsageRecorded` → priced `rollout_api_usage` rows, roll-ups per day/community/state rollout,
 * free-unit counters and budget checks, a whole batch at a time: one statement per table.
 */
export function apiUsageProjection(
  store: EventStore,
  options: { batchSize?: number } = {},
): Projection {
  const prices = new PriceBookReader();
  const ingest = (items: Item[], tx: Tx) => ingestUsages(store, prices, items, tx);
  return {
    name: 'api-usage',
    filterSubject: 'events.discovery.ApiUsageRecorded.*',
    eventTypes: ['ApiUsageRecorded'],
    tables: USAGE_TABLES,
    batchSize: options.batchSize ?? 1000,
    // A whole batch at once; when one event is bad, the chassis re-applies them one by one.
    applyBatch: ingest,
    apply: (event, tx, delivery) => ingest([{ event, delivery }], tx),
  };
}

async function ingestUsages(store: EventStore, prices: PriceBookReader, items: Item[], tx: Tx) {
  const usages = await newUsages(
    tx,
    items.map((i) => parseUsage(i.event, i.delivery.streamSequence)),
  );
  if (usages.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [PRICE_BOOK_LOCK]);
  const versions = await prices.load(tx);
  const counters = await freeCounters(tx, usages);
  const { priced, counters: after } = priceInOrder(usages, versions, counters);
  const inserted = await insertUsageRows(tx, priced);
  const rows = priced.filter((r) => inserted.has(r.usageId));
  await saveCounters(tx, after, counters);
  await upsertRollups(tx, rows);
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO pricing_watermark (id, last_recorded_at) VALUES (1, $1)
     ON CONFLICT (id) DO UPDATE SET last_recorded_at = GREATEST(pricing_watermark.last_recorded_at, EXCLUDED.last_recorded_at)`,
    [rows.reduce((max, r) => (r.recordedAt > max ? r.recordedAt : max), rows[0].recordedAt)],
  );
  const touched = new Map<string, EventEnvelope>();
  const byEventId = new Map(items.map((i) => [i.event.id, i.event]));
  for (const row of rows)
    if (row.stateRolloutId) touched.set(row.stateRolloutId, byEventId.get(row.eventId)!);
  await checkBudgets(store, tx, touched);
}

/** Drops usages already recorded (a republished usage under a new event id) and in-batch repeats. */
async function newUsages(tx: Tx, usages: RecordedUsage[]): Promise<RecordedUsage[]> {
  const ids = new Set<string>();
  const unique = usages.filter((u) => !ids.has(u.usageId) && ids.add(u.usageId));
  const known = await tx.query<{ id: string }>(
    'SELECT id FROM rollout_api_usage WHERE id = ANY($1::uuid[])',
    [[...ids]],
  );
  const seen = new Set(known.map((k) => k.id));
  return unique.filter((u) => !seen.has(u.usageId));
}

/**
 * The month's free-unit counters of the batch's keys, created at 0 when missing and row-locked
 * until commit (the no-op update takes the lock and returns the current count).
 */
async function freeCounters(tx: Tx, usages: RecordedUsage[]): Promise<Map<string, number>> {
  const keys = [...new Set(usages.map(freeCounterKey))].map((key) => key.split('/'));
  const rows = await tx.query<{ key: string; units_used: string }>(
    `INSERT INTO free_unit_usage AS f (api_name, endpoint, sku_tier, month, units_used)
     SELECT *, 0 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (api_name, endpoint, sku_tier, month) DO UPDATE SET units_used = f.units_used
     RETURNING api_name || '/' || endpoint || '/' || sku_tier || '/' || month AS key, units_used`,
    [0, 1, 2, 3].map((i) => keys.map((k) => k[i])),
  );
  return new Map(rows.map((r) => [r.key, Number(r.units_used)]));
}

async function saveCounters(tx: Tx, after: Map<string, number>, before: Map<string, number>) {
  const changed = [...after].filter(([key, used]) => before.get(key) !== used);
  if (changed.length === 0) return;
  const keys = changed.map(([key]) => key.split('/'));
  await tx.query(
    `UPDATE free_unit_usage f SET units_used = u.used
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS u(a, e, s, m, used)
      WHERE f.api_name = u.a AND f.endpoint = u.e AND f.sku_tier = u.s AND f.month = u.m`,
    [...[0, 1, 2, 3].map((i) => keys.map((k) => k[i])), changed.map(([, used]) => used)],
  );
}
