import type { MigrationInterface, QueryRunner } from 'typeorm';

const phaseColumns = [1, 2, 3, 4, 5, 6]
  .map(
    (n) =>
      `phase_${n}_status text NOT NULL DEFAULT 'pending', phase_${n}_started_at timestamptz, phase_${n}_completed_at timestamptz`,
  )
  .join(',\n        ');

/** The seed-000 tracking tables (plus `cancelled`, `phase_6_seeding`), the registry and cost view. */
export class OrchestratorTables1763700000000 implements MigrationInterface {
  name = 'OrchestratorTables1763700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS communities (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        state_code char(2) NOT NULL,
        county text,
        latitude double precision,
        longitude double precision,
        population integer,
        source text NOT NULL,
        external_id text,
        imported_at timestamptz NOT NULL,
        CONSTRAINT communities_source_external_uq UNIQUE (source, external_id)
      )`);
    await runner.query(
      'CREATE INDEX IF NOT EXISTS communities_state_idx ON communities (state_code, population DESC)',
    );
    await runner.query(`
      CREATE TABLE IF NOT EXISTS state_rollouts (
        id uuid PRIMARY KEY,
        state_code char(2) NOT NULL,
        state_name text NOT NULL,
        status text NOT NULL DEFAULT 'planned',
        total_communities integer NOT NULL DEFAULT 0,
        completed_communities integer NOT NULL DEFAULT 0,
        failed_communities integer NOT NULL DEFAULT 0,
        started_at timestamptz,
        completed_at timestamptz,
        total_api_cost numeric(12,4) NOT NULL DEFAULT 0,
        total_businesses_discovered integer NOT NULL DEFAULT 0,
        total_news_sources_created integer NOT NULL DEFAULT 0,
        settings jsonb,
        initiated_by text,
        status_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX IF NOT EXISTS state_rollouts_state_idx ON state_rollouts (state_code, started_at DESC)',
    );
    await runner.query(
      'CREATE INDEX IF NOT EXISTS state_rollouts_status_idx ON state_rollouts (status)',
    );
    await runner.query(`
      CREATE TABLE IF NOT EXISTS community_rollouts (
        id uuid PRIMARY KEY,
        state_rollout_id uuid NOT NULL REFERENCES state_rollouts (id) ON DELETE CASCADE,
        community_id uuid NOT NULL,
        community_name text NOT NULL,
        state_code char(2) NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        current_phase integer NOT NULL DEFAULT 0,
        ${phaseColumns},
        businesses_discovered integer NOT NULL DEFAULT 0,
        businesses_with_websites integer NOT NULL DEFAULT 0,
        news_sources_created integer NOT NULL DEFAULT 0,
        collection_methods_created integer NOT NULL DEFAULT 0,
        events_venues_created integer NOT NULL DEFAULT 0,
        directory_listings_created integer NOT NULL DEFAULT 0,
        crm_leads_created integer NOT NULL DEFAULT 0,
        api_calls_made integer NOT NULL DEFAULT 0,
        api_cost_estimate numeric(12,4) NOT NULL DEFAULT 0,
        error_log jsonb NOT NULL DEFAULT '[]'::jsonb,
        retry_count integer NOT NULL DEFAULT 0,
        next_retry_at timestamptz,
        priority integer,
        queue_position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX IF NOT EXISTS community_rollouts_dispatch_idx ON community_rollouts (state_rollout_id, status, priority, queue_position)',
    );
    await runner.query(
      'CREATE INDEX IF NOT EXISTS community_rollouts_community_idx ON community_rollouts (community_id)',
    );
    await runner.query(
      'CREATE INDEX IF NOT EXISTS community_rollouts_status_idx ON community_rollouts (status)',
    );
    await runner.query(`
      CREATE TABLE IF NOT EXISTS community_costs (
        community_rollout_id uuid PRIMARY KEY,
        state_rollout_id uuid,
        api_calls_made integer NOT NULL DEFAULT 0,
        api_cost_estimate numeric(14,4) NOT NULL DEFAULT 0
      )`);
    await runner.query(
      'CREATE INDEX IF NOT EXISTS community_costs_state_idx ON community_costs (state_rollout_id)',
    );
    await runner.query(
      'CREATE TABLE IF NOT EXISTS dispatch_throttle (state_rollout_id uuid PRIMARY KEY, next_dispatch_at timestamptz NOT NULL)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'dispatch_throttle',
      'community_costs',
      'community_rollouts',
      'state_rollouts',
      'communities',
    ]) {
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
