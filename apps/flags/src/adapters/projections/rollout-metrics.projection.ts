import type { JobOutcomeRecorded } from '@rcp/contracts';
import type { Projection } from '@rcp/eventing';
import { flagConfigId, stableUuid } from './flag-ids';

const HOUR_MS = 3_600_000;

/** The hour window a recorded outcome falls in. */
export function windowOf(recordedAt: string): { start: string; end: string } {
  const start = Math.floor(Date.parse(recordedAt) / HOUR_MS) * HOUR_MS;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() };
}

/**
 * `rollout_metrics`: job counts per flag, subject, processor and hour. Commutative increments
 * (and "latest error wins" by time), so replicas and redeliveries give the same rows.
 */
export const rolloutMetricsProjection: Projection = {
  name: 'rollout-metrics',
  filterSubject: 'events.flags.JobOutcomeRecorded.*',
  eventTypes: ['JobOutcomeRecorded'],
  tables: ['rollout_metrics'],
  async apply(event, tx) {
    const d = event.data as JobOutcomeRecorded;
    const window = windowOf(d.recordedAt);
    const failed = d.success ? 0 : 1;
    await tx.query(
      `INSERT INTO rollout_metrics (id, rollout_config_id, feature_name, subject_id, processor_type, success_count,
         error_count, total_jobs, total_processing_time_ms, average_processing_time, last_error_message, last_error_at,
         metrics_window_start, metrics_window_end, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,1,$8,$9,$10,$11,$12,$13,$14,$14)
       ON CONFLICT (feature_name, subject_id, processor_type, metrics_window_start) DO UPDATE SET
         success_count = rollout_metrics.success_count + EXCLUDED.success_count,
         error_count = rollout_metrics.error_count + EXCLUDED.error_count,
         total_jobs = rollout_metrics.total_jobs + 1,
         total_processing_time_ms = rollout_metrics.total_processing_time_ms + EXCLUDED.total_processing_time_ms,
         average_processing_time = round((rollout_metrics.total_processing_time_ms + EXCLUDED.total_processing_time_ms)::numeric
           / (rollout_metrics.total_jobs + 1), 2),
         last_error_message = CASE WHEN EXCLUDED.last_error_at IS NOT NULL
           AND EXCLUDED.last_error_at >= COALESCE(rollout_metrics.last_error_at, '-infinity')
           THEN EXCLUDED.last_error_message ELSE rollout_metrics.last_error_message END,
         last_error_at = GREATEST(rollout_metrics.last_error_at, EXCLUDED.last_error_at),
         created_at = LEAST(rollout_metrics.created_at, EXCLUDED.created_at),
         updated_at = GREATEST(rollout_metrics.updated_at, EXCLUDED.updated_at)`,
      [
        stableUuid('metrics', d.flag, d.subjectId, d.processor, window.start),
        flagConfigId(d.flag),
        d.flag,
        d.subjectId,
        d.processor,
        1 - failed,
        failed,
        d.durationMs,
        d.durationMs,
        failed ? (d.error ?? 'failed') : null,
        failed ? d.occurredAt : null,
        window.start,
        window.end,
        d.recordedAt,
      ],
    );
  },
};
