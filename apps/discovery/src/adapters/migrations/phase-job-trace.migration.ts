import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trace context of the request each phase job answers, so the phase work joins its trace. */
export class PhaseJobTrace1763900000000 implements MigrationInterface {
  name = 'PhaseJobTrace1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE phase_jobs ADD COLUMN IF NOT EXISTS trace_headers jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE phase_jobs DROP COLUMN IF EXISTS trace_headers');
  }
}
