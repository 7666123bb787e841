import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The flags read models (seed 002 tables, subjects in the `*_repositories` columns) and an index
 * on the event store that the auto-rollback window count reads. Idempotent.
 */
export class FlagsTables1763800000000 implements MigrationInterface {
  name = 'FlagsTables1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS rollout_configuration (
        id uuid PRIMARY KEY,
        feature_name varchar(100) NOT NULL UNIQUE,
        description text,
        group_id varchar(100) NOT NULL,
        rollout_percentage integer NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
        is_active boolean NOT NULL DEFAULT false,
        target_repositories text[] NOT NULL DEFAULT '{}',
        excluded_repositories text[] NOT NULL DEFAULT '{}',
        rollout_strategy varchar(50) NOT NULL DEFAULT 'percentage',
        categories text[] NOT NULL DEFAULT '{}',
        category_thresholds jsonb NOT NULL,
        max_error_rate numeric(5,2) NOT NULL DEFAULT 5.0,
        monitoring_window_hours integer NOT NULL DEFAULT 24,
        auto_rollback_enabled boolean NOT NULL DEFAULT true,
        emergency_stop boolean NOT NULL DEFAULT false,
        emergency_stop_source varchar(20),
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        ramp jsonb,
        config_version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS rollout_history (
        id uuid PRIMARY KEY,
        rollout_config_id uuid NOT NULL,
        feature_name varchar(100) NOT NULL,
        action varchar(50) NOT NULL,
        previous_percentage integer,
        new_percentage integer,
        reason text,
        triggered_by varchar(100) NOT NULL,
        actor text NOT NULL,
        config_version integer NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS rollout_history_flag_idx ON rollout_history (feature_name, config_version DESC)',
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS rollout_metrics (
        id uuid PRIMARY KEY,
        rollout_config_id uuid NOT NULL,
        feature_name varchar(100) NOT NULL,
        subject_id text NOT NULL,
        processor_type varchar(100) NOT NULL,
        success_count integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        total_jobs integer NOT NULL DEFAULT 0,
        total_processing_time_ms bigint NOT NULL DEFAULT 0,
        average_processing_time numeric(10,2),
        last_error_message text,
        last_error_at timestamptz,
        metrics_window_start timestamptz NOT NULL,
        metrics_window_end timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT rollout_metrics_window_uq UNIQUE (feature_name, subject_id, processor_type, metrics_window_start)
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS rollout_metrics_window_idx ON rollout_metrics (feature_name, metrics_window_end)',
    );
    await q.query(
      'CREATE INDEX IF NOT EXISTS flags_events_stream_time_idx ON events (stream_id, occurred_at)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS flags_events_stream_time_idx');
    for (const table of ['rollout_metrics', 'rollout_history', 'rollout_configuration'])
      await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
