const TOTALS_SET = `usages = t.usages + EXCLUDED.usages, free_units = t.free_units + EXCLUDED.free_units`;

// Roll-ups come from the INSERT's RETURNING, so a usage lost to a concurrent replica's insert
// (ON CONFLICT DO NOTHING) is counted by that replica only. Sums are numeric: exact.
const ROLLUPS = `
daily AS (
  INSERT INTO usage_daily_rollups AS t (day, state_code, state_rollout_id, community_rollout_id, api_name, endpoint,
    sku_tier, usages, requests, free_units, estimated_cost, priced_cost)
  SELECT (recorded_at AT TIME ZONE 'UTC')::date, state_code, COALESCE(state_rollout_id, $27::uuid), community_rollout_id,
         api_name, endpoint, sku_tier, count(*), sum(request_count), sum(free_units), sum(estimated_cost), sum(priced_cost)
    FROM ins GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (state_code, day, state_rollout_id, community_rollout_id, api_name, endpoint, sku_tier) DO UPDATE SET
    ${TOTALS_SET}, requests = t.requests + EXCLUDED.requests,
    estimated_cost = t.estimated_cost + EXCLUDED.estimated_cost, priced_cost = t.priced_cost + EXCLUDED.priced_cost
), communities AS (
  INSERT INTO community_rollout_costs AS t (community_rollout_id, state_rollout_id, state_code, usages,
    api_calls_made, free_units, api_cost_estimate, priced_cost)
  SELECT community_rollout_id, (array_agg(state_rollout_id ORDER BY stream_sequence))[1],
         (array_agg(state_code ORDER BY stream_sequence))[1], count(*), sum(request_count), sum(free_units),
         sum(estimated_cost), sum(priced_cost)
    FROM ins GROUP BY community_rollout_id
  ON CONFLICT (community_rollout_id) DO UPDATE SET ${TOTALS_SET},
    state_rollout_id = COALESCE(t.state_rollout_id, EXCLUDED.state_rollout_id),
    api_calls_made = t.api_calls_made + EXCLUDED.api_calls_made,
    api_cost_estimate = t.api_cost_estimate + EXCLUDED.api_cost_estimate,
    priced_cost = t.priced_cost + EXCLUDED.priced_cost
), states AS (
  INSERT INTO state_rollout_costs AS t (state_rollout_id, state_code, usages, api_calls_made, free_units,
    estimated_cost, total_api_cost)
  SELECT state_rollout_id, (array_agg(state_code ORDER BY stream_sequence))[1], count(*), sum(request_count),
         sum(free_units), sum(estimated_cost), sum(priced_cost)
    FROM ins WHERE state_rollout_id IS NOT NULL GROUP BY state_rollout_id
  ON CONFLICT (state_rollout_id) DO UPDATE SET ${TOTALS_SET},
    api_calls_made = t.api_calls_made + EXCLUDED.api_calls_made,
    estimated_cost = t.estimated_cost + EXCLUDED.estimated_cost,
    total_api_cost = t.total_api_cost + EXCLUDED.total_api_cost
  RETURNING state_rollout_id, total_api_cost
), watermark AS (
  INSERT INTO pricing_watermark (id, last_recorded_at) SELECT 1, max(recorded_at) FROM ins HAVING count(*) > 0
  ON CONFLICT (id) DO UPDATE SET last_recorded_at = GREATEST(pricing_watermark.last_recorded_at, EXCLUDED.last_recorded_at)
)`;

/** The whole write of a priced batch (see `writeBatch` for the parameters). */
export const WRITE_BATCH_SQL = `
WITH book AS MATERIALIZED (SELECT count(*) AS n FROM events WHERE stream_id = $1),
ins AS (
  INSERT INTO rollout_api_usage (id, event_id, community_rollout_id, state_rollout_id, state_code, phase,
    api_name, endpoint, sku_tier, request_count, estimated_cost, actual_response_count,
    price_book_version, unit_cost, free_units, priced_cost, recorded_at, created_at, stream_sequence)
  SELECT u.id, u.event_id, u.cr, u.sr, u.state_code, u.phase, u.api_name, u.endpoint, u.sku_tier, u.request_count,
         u.estimated_cost, u.responses, u.version, u.unit_cost, u.free_units, u.priced_cost, u.recorded_at, u.recorded_at, u.seq
    FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::smallint[], $9::text[], $10::text[],
                $11::text[], $12::int[], $13::numeric[], $14::int[], $15::int[], $16::numeric[], $17::int[],
                $18::numeric[], $19::timestamptz[], $20::bigint[])
      AS u(id, event_id, cr, sr, state_code, phase, api_name, endpoint, sku_tier, request_count, estimated_cost,
           responses, version, unit_cost, free_units, priced_cost, recorded_at, seq)
   WHERE (SELECT n FROM book) = $2
  ON CONFLICT (id) DO NOTHING
  RETURNING id, event_id, community_rollout_id, state_rollout_id, state_code, api_name, endpoint, sku_tier,
            request_count, free_units, estimated_cost, priced_cost, recorded_at, stream_sequence
), counters AS (
  UPDATE free_unit_usage f SET units_used = c.used
    FROM unnest($21::text[], $22::text[], $23::text[], $24::text[], $25::bigint[]) AS c(a, e, s, m, used)
   WHERE (SELECT n FROM book) = $2 AND f.api_name = c.a AND f.endpoint = c.e AND f.sku_tier = c.s AND f.month = c.m
     AND f.units_used IS DISTINCT FROM c.used
), ${ROLLUPS}, causes AS (
  SELECT state_rollout_id, (array_agg(event_id ORDER BY stream_sequence DESC))[1] AS cause
    FROM ins WHERE state_rollout_id IS NOT NULL GROUP BY state_rollout_id
)
SELECT (SELECT n FROM book) AS versions,
       (SELECT count(*) FROM ins) AS inserted,
       (SELECT COALESCE(json_agg(json_build_array(s.state_rollout_id, s.total_api_cost::text, c.cause)), '[]')
          FROM states s JOIN causes c USING (state_rollout_id)) AS touched,
       (SELECT COALESCE(json_agg(json_build_array(substr(stream_id, 8), type, data) ORDER BY stream_id, stream_version), '[]')
          FROM events WHERE stream_id = ANY($26::text[])) AS budgets`;
