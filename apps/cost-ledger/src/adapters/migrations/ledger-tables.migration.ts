import type { MigrationInterface, QueryRunner } from 'typeorm';

const MONEY = 'numeric(18,6) NOT NULL DEFAULT 0';

/** Priced usage rows (seed 000 `rollout_api_usage` plus pricing) and their roll-ups. */
const USAGE_TABLES = [
  `CREATE TABLE IF NOT EXISTS rollout_api_usage (
     id uuid PRIMARY KEY,
     event_id uuid NOT NULL UNIQUE,
     community_rollout_id uuid NOT NULL,
     state_rollout_id uuid,
     state_code text NOT NULL,
     phase smallint,
     api_name text NOT NULL,
     endpoint text NOT NULL,
     sku_tier text NOT NULL,
     request_count integer NOT NULL DEFAULT 1,
     estimated_cost ${MONEY},
     actual_response_count integer NOT NULL DEFAULT 0,
     price_book_version integer,
     unit_cost ${MONEY},
     free_units integer NOT NULL DEFAULT 0,
     priced_cost ${MONEY},
     recorded_at timestamptz NOT NULL,
     created_at timestamptz NOT NULL,
     stream_sequence bigint NOT NULL
   )`,
  'CREATE INDEX IF NOT EXISTS rollout_api_usage_community_api_idx ON rollout_api_usage (community_rollout_id, api_name)',
  'CREATE INDEX IF NOT EXISTS rollout_api_usage_state_time_idx ON rollout_api_usage (state_code, recorded_at)',
  `CREATE TABLE IF NOT EXISTS usage_daily_rollups (
     day date NOT NULL,
     state_code text NOT NULL,
     state_rollout_id uuid NOT NULL,
     community_rollout_id uuid NOT NULL,
     api_name text NOT NULL,
     endpoint text NOT NULL,
     sku_tier text NOT NULL,
     usages integer NOT NULL,
     requests bigint NOT NULL,
     free_units bigint NOT NULL,
     estimated_cost ${MONEY},
     priced_cost ${MONEY},
     PRIMARY KEY (state_code, day, state_rollout_id, community_rollout_id, api_name, endpoint, sku_tier)
   )`,
  `CREATE TABLE IF NOT EXISTS community_rollout_costs (
     community_rollout_id uuid PRIMARY KEY,
     state_rollout_id uuid,
     state_code text NOT NULL,
     usages integer NOT NULL,
     api_calls_made bigint NOT NULL,
     free_units bigint NOT NULL,
     api_cost_estimate ${MONEY},
     priced_cost ${MONEY}
   )`,
  `CREATE TABLE IF NOT EXISTS state_rollout_costs (
     state_rollout_id uuid PRIMARY KEY,
     state_code text NOT NULL,
     usages integer NOT NULL,
     api_calls_made bigint NOT NULL,
     free_units bigint NOT NULL,
     estimated_cost ${MONEY},
     total_api_cost ${MONEY}
   )`,
  `CREATE TABLE IF NOT EXISTS free_unit_usage (
     api_name text NOT NULL,
     endpoint text NOT NULL,
     sku_tier text NOT NULL,
     month text NOT NULL,
     units_used bigint NOT NULL,
     PRIMARY KEY (api_name, endpoint, sku_tier, month)
   )`,
  // Not a projection table (rebuild keeps it): the latest recordedAt ever priced, so a new
  // price-book version can never reprice the past, even during a rebuild.
  `CREATE TABLE IF NOT EXISTS pricing_watermark (
     id smallint PRIMARY KEY CHECK (id = 1),
     last_recorded_at timestamptz NOT NULL
   )`,
];

/** The ledger's view of the orchestrator's rollouts (status, budget from settings). */
const LIFECYCLE_TABLES = [
  `CREATE TABLE IF NOT EXISTS state_rollouts (
     id uuid PRIMARY KEY,
     state_code text NOT NULL,
     state_name text NOT NULL,
     status text NOT NULL,
     total_communities integer NOT NULL DEFAULT 0,
     started_at timestamptz,
     completed_at timestamptz,
     settings jsonb,
     initiated_by text,
     budget numeric(18,6)
   )`,
  'CREATE INDEX IF NOT EXISTS state_rollouts_state_idx ON state_rollouts (state_code, started_at DESC)',
  `CREATE TABLE IF NOT EXISTS community_rollouts (
     id uuid PRIMARY KEY,
     state_rollout_id uuid NOT NULL,
     community_id uuid NOT NULL,
     community_name text,
     state_code text NOT NULL,
     status text NOT NULL,
     queued_at timestamptz,
     completed_at timestamptz
   )`,
  'CREATE INDEX IF NOT EXISTS community_rollouts_state_idx ON community_rollouts (state_rollout_id, status)',
];

/** Seed 001's estimateRemainingCost, in numeric: average per completed community × remaining. */
const VIEWS = [
  `CREATE OR REPLACE VIEW state_rollout_cost_view AS
   SELECT s.id AS state_rollout_id, s.state_code, s.status, s.total_communities,
          count(c.id) FILTER (WHERE c.status = 'completed')::int AS completed_communities,
          count(c.id) FILTER (WHERE c.status = 'failed')::int AS failed_communities,
          COALESCE(k.api_calls_made, 0) AS api_calls_made,
          COALESCE(k.total_api_cost, 0) AS total_api_cost, s.budget,
          round(GREATEST(s.total_communities - count(c.id) FILTER (WHERE c.status IN ('completed', 'failed')), 0)
            * CASE WHEN count(c.id) FILTER (WHERE c.status = 'completed') > 0
                   THEN COALESCE(k.total_api_cost, 0) / count(c.id) FILTER (WHERE c.status = 'completed')
                   ELSE 34.00 END, 2) AS estimated_remaining_cost
     FROM state_rollouts s
     LEFT JOIN community_rollouts c ON c.state_rollout_id = s.id
     LEFT JOIN state_rollout_costs k ON k.state_rollout_id = s.id
    GROUP BY s.id, k.api_calls_made, k.total_api_cost`,
  `CREATE OR REPLACE VIEW community_rollout_cost_view AS
   SELECT c.id AS community_rollout_id, c.state_rollout_id, c.state_code, c.status,
          COALESCE(k.api_calls_made, 0) AS api_calls_made,
          COALESCE(k.api_cost_estimate, 0) AS api_cost_estimate,
          COALESCE(k.priced_cost, 0) AS priced_cost
     FROM community_rollouts c LEFT JOIN community_rollout_costs k ON k.community_rollout_id = c.id`,
];

export class LedgerTables1763800000000 implements MigrationInterface {
  name = 'LedgerTables1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of [...USAGE_TABLES, ...LIFECYCLE_TABLES, ...VIEWS]) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP VIEW IF EXISTS community_rollout_cost_view');
    await runner.query('DROP VIEW IF EXISTS state_rollout_cost_view');
    for (const table of [
      'community_rollouts',
      'state_rollouts',
      'pricing_watermark',
      'free_unit_usage',
      'state_rollout_costs',
      'community_rollout_costs',
      'usage_daily_rollups',
      'rollout_api_usage',
    ])
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
