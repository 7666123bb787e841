import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models (seed 003, generalized) and the write side's snapshot cache and event indexes. */
export class QuotaTables1763700700000 implements MigrationInterface {
  name = 'QuotaTables1763700700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS quota_usage (
      tenant_id text NOT NULL,
      meter text NOT NULL,
      month text NOT NULL,
      count integer NOT NULL DEFAULT 0,
      reserved integer NOT NULL DEFAULT 0,
      refused_count integer NOT NULL DEFAULT 0,
      quota_limit integer,
      tier text,
      limit_version integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, meter, month))`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS idx_quota_usage_tenant_month ON quota_usage (tenant_id, month)',
    );
    await q.query(`CREATE TABLE IF NOT EXISTS quota_tenants (
      tenant_id text PRIMARY KEY,
      tier text NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
      version integer NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE IF NOT EXISTS quota_limits (
      tenant_id text NOT NULL,
      meter text NOT NULL,
      quota_limit integer,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, meter))`);
    await this.jobs(q);
    await this.writeSide(q);
  }

  private async jobs(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS jobs (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      meter text NOT NULL,
      units integer NOT NULL,
      subject_id text NOT NULL,
      kind text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
      requested_by text NOT NULL,
      requested_at timestamptz NOT NULL,
      started_at timestamptz,
      completed_at timestamptz,
      result_ref text,
      error_code text,
      error_message text,
      retry_count integer NOT NULL DEFAULT 0,
      max_retries integer NOT NULL DEFAULT 3,
      model_version text,
      reservation_id uuid,
      next_retry_at timestamptz,
      version integer NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    for (const [name, columns] of [
      ['idx_jobs_tenant_id', 'tenant_id'],
      ['idx_jobs_status', 'status'],
      ['idx_jobs_requested_at', 'requested_at DESC'],
      ['idx_jobs_tenant_status', 'tenant_id, status'],
    ])
      await q.query(`CREATE INDEX IF NOT EXISTS ${name} ON jobs (${columns})`);
  }

  private async writeSide(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS quota_account_snapshots (
      stream_id text PRIMARY KEY,
      version integer NOT NULL,
      schema_version integer NOT NULL,
      state jsonb NOT NULL)`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_events_quota_reservation ON events ((data->>'reservationId'))
        WHERE type IN ('QuotaReserved', 'QuotaReservationCommitted', 'QuotaReservationReleased', 'QuotaReservationExpired')`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_events_quota_idempotency ON events (stream_id, (data->>'idempotencyKey'))
        WHERE type IN ('QuotaReserved', 'QuotaConsumed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS idx_events_quota_idempotency');
    await q.query('DROP INDEX IF EXISTS idx_events_quota_reservation');
    for (const table of [
      'quota_account_snapshots',
      'jobs',
      'quota_limits',
      'quota_tenants',
      'quota_usage',
    ])
      await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
