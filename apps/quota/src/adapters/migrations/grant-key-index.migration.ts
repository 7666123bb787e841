import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The earliest grant of an idempotency key read off the key's own index entries. With only
 * (stream_id, key), "ORDER BY stream_version LIMIT 1" leaves the planner the choice of walking the
 * account's version index and filtering on the key: for a new key, every event of the account.
 */
export class GrantKeyIndex1763900000000 implements MigrationInterface {
  name = 'GrantKeyIndex1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_events_quota_grant_key ON events (stream_id, (data->>'idempotencyKey'), stream_version)
        WHERE type IN ('QuotaReserved', 'QuotaConsumed')`,
    );
    await q.query('DROP INDEX IF EXISTS idx_events_quota_idempotency');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_events_quota_idempotency ON events (stream_id, (data->>'idempotencyKey'))
        WHERE type IN ('QuotaReserved', 'QuotaConsumed')`,
    );
    await q.query('DROP INDEX IF EXISTS idx_events_quota_grant_key');
  }
}
