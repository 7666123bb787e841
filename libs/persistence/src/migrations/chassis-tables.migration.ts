import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event-sourcing tables every service has in its own schema: the append-only event store,
 * the transactional outbox, the command log (idempotency), the consumer inbox and checkpoints,
 * and durable timers.
 * Idempotent: every statement is IF NOT EXISTS.
 */
export class ChassisTables1763683200000 implements MigrationInterface {
  name = 'ChassisTables1763683200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS events (
        global_position bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        aggregate_type text NOT NULL,
        type text NOT NULL,
        version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version)
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS outbox (
        position bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        subject text NOT NULL,
        payload text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS processed_commands (
        command_id uuid PRIMARY KEY,
        command_name text NOT NULL,
        payload_hash text NOT NULL,
        reply jsonb NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        stream_sequence bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS timers (
        timer_id uuid PRIMARY KEY,
        kind text NOT NULL,
        due_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS timers_due_at_idx ON timers (due_at)');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS consumer_checkpoints (
        consumer text PRIMARY KEY,
        stream_sequence bigint NOT NULL DEFAULT 0,
        events_applied bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'consumer_checkpoints',
      'processed_events',
      'processed_commands',
      'outbox',
      'events',
    ]) {
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
