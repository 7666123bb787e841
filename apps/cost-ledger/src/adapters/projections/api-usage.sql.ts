import type { Tx } from '@rcp/persistence';
import { formatMicros } from '../../domain/money/money';
import { communityKey, dailyKey, rollUp, stateRolloutKey, type PricedRow } from './usage-rollups';

/** Inserts priced rows in one statement; returns the usage ids that were new. */
export async function insertUsageRows(tx: Tx, rows: PricedRow[]): Promise<Set<string>> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO rollout_api_usage (id, event_id, community_rollout_id, state_rollout_id, state_code, phase,
       api_name, endpoint, sku_tier, request_count, estimated_cost, actual_response_count,
       price_book_version, unit_cost, free_units, priced_cost, recorded_at, created_at, stream_sequence)
     SELECT u.id, u.event_id, u.cr, u.sr, u.state_code, u.phase, u.api_name, u.endpoint, u.sku_tier, u.request_count,
            u.estimated_cost, u.responses, u.version, u.unit_cost, u.free_units, u.priced_cost, u.recorded_at, u.recorded_at, u.seq
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::smallint[], $7::text[], $8::text[],
                   $9::text[], $10::int[], $11::numeric[], $12::int[], $13::int[], $14::numeric[], $15::int[],
                   $16::numeric[], $17::timestamptz[], $18::bigint[])
         AS u(id, event_id, cr, sr, state_code, phase, api_name, endpoint, sku_tier, request_count, estimated_cost,
              responses, version, unit_cost, free_units, priced_cost, recorded_at, seq)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      rows.map((r) => r.usageId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.communityRolloutId),
      rows.map((r) => r.stateRolloutId),
      rows.map((r) => r.stateCode),
      rows.map((r) => r.phase),
      rows.map((r) => r.apiName),
      rows.map((r) => r.endpoint),
      rows.map((r) => r.skuTier),
      rows.map((r) => r.requestCount),
      rows.map((r) => formatMicros(r.estimatedCost)),
      rows.map((r) => r.actualResponseCount),
      rows.map((r) => r.priceBookVersion),
      rows.map((r) => formatMicros(r.unitCost)),
      rows.map((r) => r.freeUnits),
      rows.map((r) => formatMicros(r.pricedCost)),
      rows.map((r) => r.recordedAt),
      rows.map((r) => r.streamSequence),
    ],
  );
  return new Set(inserted.map((r) => r.id));
}

const TOTALS_SET = `usages = t.usages + EXCLUDED.usages, free_units = t.free_units + EXCLUDED.free_units`;

/** One multi-row upsert per roll-up; money is summed in JS BigInt, added in numeric. */
export async function upsertRollups(tx: Tx, rows: PricedRow[]): Promise<void> {
  const daily = rollUp(rows, dailyKey, (r) =>
    [
      r.recordedAt.slice(0, 10),
      r.stateCode,
      r.stateRolloutId,
      r.communityRolloutId,
      r.apiName,
      r.endpoint,
      r.skuTier,
    ].join('|'),
  );
  await tx.query(
    `INSERT INTO usage_daily_rollups AS t (day, state_code, state_rollout_id, community_rollout_id, api_name, endpoint,
       sku_tier, usages, requests, free_units, estimated_cost, priced_cost)
     SELECT * FROM unnest($1::date[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                          $8::int[], $9::bigint[], $10::bigint[], $11::numeric[], $12::numeric[])
     ON CONFLICT (state_code, day, state_rollout_id, community_rollout_id, api_name, endpoint, sku_tier) DO UPDATE SET
       ${TOTALS_SET}, requests = t.requests + EXCLUDED.requests,
       estimated_cost = t.estimated_cost + EXCLUDED.estimated_cost, priced_cost = t.priced_cost + EXCLUDED.priced_cost`,
    [
      ...[
        daily.map((g) => g.day),
        daily.map((g) => g.stateCode),
        daily.map((g) => g.stateRolloutId),
      ],
      ...[
        daily.map((g) => g.communityRolloutId),
        daily.map((g) => g.apiName),
        daily.map((g) => g.endpoint),
      ],
      ...[daily.map((g) => g.skuTier), daily.map((g) => g.usages), daily.map((g) => g.requests)],
      daily.map((g) => g.freeUnits),
      daily.map((g) => formatMicros(g.estimated)),
      daily.map((g) => formatMicros(g.priced)),
    ],
  );
  await upsertCommunities(tx, rows);
  await upsertStateRollouts(tx, rows);
}

async function upsertCommunities(tx: Tx, rows: PricedRow[]): Promise<void> {
  const groups = rollUp(rows, communityKey, (r) => r.communityRolloutId);
  await tx.query(
    `INSERT INTO community_rollout_costs AS t (community_rollout_id, state_rollout_id, state_code, usages,
       api_calls_made, free_units, api_cost_estimate, priced_cost)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::numeric[], $8::numeric[])
     ON CONFLICT (community_rollout_id) DO UPDATE SET ${TOTALS_SET},
       state_rollout_id = COALESCE(t.state_rollout_id, EXCLUDED.state_rollout_id),
       api_calls_made = t.api_calls_made + EXCLUDED.api_calls_made,
       api_cost_estimate = t.api_cost_estimate + EXCLUDED.api_cost_estimate,
       priced_cost = t.priced_cost + EXCLUDED.priced_cost`,
    [
      groups.map((g) => g.communityRolloutId),
      groups.map((g) => g.stateRolloutId),
      groups.map((g) => g.stateCode),
      groups.map((g) => g.usages),
      groups.map((g) => g.requests),
      groups.map((g) => g.freeUnits),
      groups.map((g) => formatMicros(g.estimated)),
      groups.map((g) => formatMicros(g.priced)),
    ],
  );
}

async function upsertStateRollouts(tx: Tx, rows: PricedRow[]): Promise<void> {
  const groups = rollUp(
    rows.filter((r) => r.stateRolloutId),
    stateRolloutKey,
    (r) => r.stateRolloutId!,
  );
  if (groups.length === 0) return;
  await tx.query(
    `INSERT INTO state_rollout_costs AS t (state_rollout_id, state_code, usages, api_calls_made, free_units,
       estimated_cost, total_api_cost)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::numeric[], $7::numeric[])
     ON CONFLICT (state_rollout_id) DO UPDATE SET ${TOTALS_SET},
       api_calls_made = t.api_calls_made + EXCLUDED.api_calls_made,
       estimated_cost = t.estimated_cost + EXCLUDED.estimated_cost,
       total_api_cost = t.total_api_cost + EXCLUDED.total_api_cost`,
    [
      groups.map((g) => g.stateRolloutId),
      groups.map((g) => g.stateCode),
      groups.map((g) => g.usages),
      groups.map((g) => g.requests),
      groups.map((g) => g.freeUnits),
      groups.map((g) => formatMicros(g.estimated)),
      groups.map((g) => formatMicros(g.priced)),
    ],
  );
}
