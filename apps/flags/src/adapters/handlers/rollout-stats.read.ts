import type { GetRolloutStats, RolloutMetricsView, RolloutStatsReply } from '@rcp/contracts';
import type { Database } from '@rcp/persistence';
import { errorRateOf, healthOf } from '../../domain/flag-metrics/flag-metrics';
import { selectFlags } from '../projections/flag-row';
import { notFound } from './flag-read-model';

interface ProcessorRow {
  processor_type: string;
  success_count: number;
  error_count: number;
  total_jobs: number;
  total_ms: string;
  last_error_message: string | null;
  last_error_at: Date | null;
  subjects: number;
}

/** Job figures of a flag over its window (hour buckets that end inside it), by processor. */
export async function readRolloutStats(
  db: Database,
  q: GetRolloutStats,
  now: Date,
): Promise<RolloutStatsReply> {
  const [flag] = await selectFlags(db, 'feature_name = $1', [q.flag]);
  if (!flag) notFound(q.flag);
  const windowHours = q.windowHours ?? flag.monitoringWindowHours;
  const windowStart = new Date(now.getTime() - windowHours * 3_600_000);
  const rows = await db.query<ProcessorRow>(
    `SELECT processor_type, sum(success_count)::int AS success_count, sum(error_count)::int AS error_count,
            sum(total_jobs)::int AS total_jobs, sum(total_processing_time_ms)::text AS total_ms,
            (array_agg(last_error_message ORDER BY last_error_at DESC NULLS LAST))[1] AS last_error_message,
            max(last_error_at) AS last_error_at, count(DISTINCT subject_id)::int AS subjects
       FROM rollout_metrics WHERE feature_name = $1 AND metrics_window_end > $2
      GROUP BY processor_type ORDER BY processor_type`,
    [q.flag, windowStart.toISOString()],
  );
  const [seen] = await db.query<{ n: number }>(
    'SELECT count(DISTINCT subject_id)::int AS n FROM rollout_metrics WHERE feature_name = $1 AND metrics_window_end > $2',
    [q.flag, windowStart.toISOString()],
  );
  const byProcessor = rows.map(processorView);
  const totalJobs = byProcessor.reduce((n, p) => n + p.totalJobs, 0);
  const errorCount = byProcessor.reduce((n, p) => n + p.errorCount, 0);
  return {
    flag: q.flag,
    rolloutPercentage: flag.rolloutPercentage,
    windowStart: windowStart.toISOString(),
    windowEnd: now.toISOString(),
    totalJobs,
    errorCount,
    errorRate: errorRateOf(errorCount, totalJobs),
    maxErrorRate: flag.maxErrorRate,
    health: healthOf({ totalJobs, errorCount }),
    byProcessor,
    subjectsSeen: seen?.n ?? 0,
  };
}

function processorView(row: ProcessorRow): RolloutMetricsView {
  return {
    processor: row.processor_type,
    successCount: row.success_count,
    errorCount: row.error_count,
    totalJobs: row.total_jobs,
    errorRate: errorRateOf(row.error_count, row.total_jobs),
    averageDurationMs:
      row.total_jobs > 0 ? Math.round((Number(row.total_ms) / row.total_jobs) * 100) / 100 : null,
    lastErrorMessage: row.last_error_message,
    lastErrorAt: row.last_error_at?.toISOString() ?? null,
  };
}
