import type {
  EventEnvelope,
  JobCompleted,
  JobFailed,
  JobRetryScheduled,
  JobStarted,
  JobSubmitted,
} from '@rcp/contracts';
import type { InlineProjection } from '@rcp/eventing';
import type { Tx } from '@rcp/persistence';

const JOB_EVENTS = ['JobSubmitted', 'JobStarted', 'JobCompleted', 'JobFailed', 'JobRetryScheduled'];

/** Pure: the columns a later job event sets. */
export function jobUpdate(event: EventEnvelope): Record<string, unknown> {
  switch (event.type) {
    case 'JobStarted': {
      const d = event.data as JobStarted;
      return {
        status: 'processing',
        started_at: d.startedAt,
        model_version: d.modelVersion,
        next_retry_at: null,
      };
    }
    case 'JobCompleted': {
      const d = event.data as JobCompleted;
      const done = {
        status: 'completed',
        completed_at: d.completedAt,
        result_ref: d.resultRef ?? null,
      };
      return {
        ...done,
        model_version: d.modelVersion,
        retry_count: d.retryCount,
        error_code: null,
        error_message: null,
        next_retry_at: null,
      };
    }
    case 'JobFailed': {
      const d = event.data as JobFailed;
      const failed = {
        status: 'failed',
        completed_at: d.failedAt,
        error_code: d.errorCode,
        error_message: d.errorMessage,
      };
      return { ...failed, retry_count: d.retryCount, next_retry_at: null };
    }
    default: {
      const d = event.data as JobRetryScheduled;
      const retry = { status: 'pending', error_code: d.errorCode, error_message: d.errorMessage };
      return { ...retry, retry_count: d.retryCount, next_retry_at: d.retryAt };
    }
  }
}

async function insertJob(event: EventEnvelope, tx: Tx): Promise<void> {
  const d = event.data as JobSubmitted;
  await tx.query(
    `INSERT INTO jobs (id, tenant_id, meter, units, subject_id, kind, status, requested_by, requested_at, max_retries,
                       model_version, reservation_id, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11, $12, $13, $13) ON CONFLICT (id) DO NOTHING`,
    [
      d.jobId,
      d.tenantId,
      d.meter,
      d.units,
      d.subjectId,
      d.kind ?? null,
      d.requestedBy,
      d.submittedAt,
      d.maxRetries,
      d.modelVersion ?? null,
      d.reservationId,
      event.aggregate.version,
      event.occurredAt,
    ],
  );
}

/** Applies an update only over an older row version; `model_version` keeps its value when absent. */
async function updateJob(event: EventEnvelope, tx: Tx): Promise<void> {
  const { model_version: model, ...fields } = jobUpdate(event);
  const names = Object.keys(fields);
  const sets = names.map((name, i) => `${name} = $${i + 5}`).join(', ');
  const jobId = (event.data as { jobId: string }).jobId;
  const params = [
    jobId,
    event.aggregate.version,
    event.occurredAt,
    model ?? null,
    ...names.map((n) => fields[n]),
  ];
  const updated = await tx.query(
    `UPDATE jobs SET ${sets}, model_version = COALESCE($4, model_version), version = $2, updated_at = $3
      WHERE id = $1 AND version < $2 RETURNING id`,
    params,
  );
  if (updated.length > 0) return;
  const [exists] = await tx.query('SELECT 1 FROM jobs WHERE id = $1', [jobId]);
  if (!exists) throw new Error(`job ${jobId} is not in the jobs projection`);
}

/** `jobs` — seed 003's job table, generalized. Inline: applied with the command that appends. */
export const jobsProjection: InlineProjection = {
  name: 'jobs',
  eventTypes: JOB_EVENTS,
  tables: ['jobs'],
  async apply(event, tx) {
    if (event.type === 'JobSubmitted') await insertJob(event, tx);
    else await updateJob(event, tx);
  },
};
