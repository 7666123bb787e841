import type { MigrationInterface, QueryRunner } from 'typeorm';

const UP = [
  `CREATE TABLE IF NOT EXISTS phase_jobs (
     community_rollout_id uuid NOT NULL,
     phase smallint NOT NULL,
     attempt int NOT NULL,
     state_code char(2) NOT NULL,
     request jsonb NOT NULL,
     deadline timestamptz NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done')),
     claims int NOT NULL DEFAULT 0,
     claimed_by text,
     lease_until timestamptz,
     outcome text,
     last_error text,
     requested_event_id uuid NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     started_at timestamptz,
     completed_at timestamptz,
     PRIMARY KEY (community_rollout_id, phase, attempt))`,
  'CREATE INDEX IF NOT EXISTS phase_jobs_ready ON phase_jobs (status, created_at)',
  `CREATE TABLE IF NOT EXISTS businesses (
     place_id text PRIMARY KEY,
     name text NOT NULL,
     category text NOT NULL,
     primary_type text,
     types text[] NOT NULL DEFAULT '{}',
     address text,
     latitude double precision NOT NULL,
     longitude double precision NOT NULL,
     website text,
     phone text,
     rating numeric(2, 1),
     user_rating_count int,
     scan_outcome text,
     scan_http_status int,
     final_url text,
     title text,
     feed_urls text[] NOT NULL DEFAULT '{}',
     cms_hints text[] NOT NULL DEFAULT '{}',
     scanned_at timestamptz,
     business_status text,
     opening_hours jsonb,
     enriched_at timestamptz,
     discovered_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS community_businesses (
     community_rollout_id uuid NOT NULL,
     place_id text NOT NULL,
     community_id uuid,
     state_code char(2) NOT NULL,
     category text NOT NULL,
     discovered_at timestamptz NOT NULL,
     PRIMARY KEY (community_rollout_id, place_id))`,
  'CREATE INDEX IF NOT EXISTS community_businesses_community ON community_businesses (community_id)',
  `CREATE TABLE IF NOT EXISTS news_sources (
     news_source_id uuid PRIMARY KEY,
     community_rollout_id uuid NOT NULL,
     community_id uuid,
     place_id text,
     name text NOT NULL,
     feed_url text NOT NULL,
     site_url text,
     feed_format text NOT NULL,
     item_count int NOT NULL,
     created_at timestamptz NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS collection_methods (
     collection_method_id uuid PRIMARY KEY,
     news_source_id uuid NOT NULL,
     type text NOT NULL,
     url text NOT NULL,
     interval_minutes int)`,
];

export class DiscoveryTables1763800000000 implements MigrationInterface {
  name = 'DiscoveryTables1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of UP) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'collection_methods',
      'news_sources',
      'community_businesses',
      'businesses',
      'phase_jobs',
    ])
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
