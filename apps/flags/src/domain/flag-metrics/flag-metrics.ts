import {
  AUTO_ROLLBACK_MIN_JOBS,
  ERROR_RATE_CRITICAL_PERCENT,
  ERROR_RATE_WARNING_PERCENT,
  type ErrorRateCritical,
  type ErrorRateWarning,
  type JobOutcomeRecorded,
  type RecordJobOutcome,
} from '@rcp/contracts';
import type { WindowFigures } from '../flag/flag.commands';

export type FlagMetricsEvent =
  | { type: 'JobOutcomeRecorded'; data: JobOutcomeRecorded }
  | { type: 'ErrorRateWarning'; data: ErrorRateWarning }
  | { type: 'ErrorRateCritical'; data: ErrorRateCritical };

export type HealthLevel = 'ok' | 'warning' | 'critical';

/** Job counts of a flag's window before the outcome being recorded. */
export interface JobCounts {
  totalJobs: number;
  errorCount: number;
}

/** `errors / total` in percent, two decimals (0 without jobs). */
export function errorRateOf(errorCount: number, totalJobs: number): number {
  return totalJobs === 0 ? 0 : Math.round((errorCount * 10_000) / totalJobs) / 100;
}

/** Is `errors / total` strictly above `percent` (two decimals)? Integer arithmetic, no rounding. */
export function exceedsRate(errorCount: number, totalJobs: number, percent: number): boolean {
  return totalJobs > 0 && errorCount * 10_000 > Math.round(percent * 100) * totalJobs;
}

/** Alert level of a window; below AUTO_ROLLBACK_MIN_JOBS jobs it is always `ok`. */
export function healthOf({ errorCount, totalJobs }: JobCounts): HealthLevel {
  if (totalJobs < AUTO_ROLLBACK_MIN_JOBS) return 'ok';
  if (exceedsRate(errorCount, totalJobs, ERROR_RATE_CRITICAL_PERCENT)) return 'critical';
  if (exceedsRate(errorCount, totalJobs, ERROR_RATE_WARNING_PERCENT)) return 'warning';
  return 'ok';
}

const RANK: Record<HealthLevel, number> = { ok: 0, warning: 1, critical: 2 };

/**
 * Records one job outcome against the window it falls in: the outcome event, plus an alert when
 * the outcome lifts the window's level (warning over 2.5 %, critical over 10 %).
 */
export function recordJobOutcome(
  input: RecordJobOutcome,
  before: JobCounts,
  windowHours: number,
  now: Date,
): { events: FlagMetricsEvent[]; figures: WindowFigures } {
  const after = {
    totalJobs: before.totalJobs + 1,
    errorCount: before.errorCount + (input.success ? 0 : 1),
  };
  const figures = {
    ...after,
    errorRate: errorRateOf(after.errorCount, after.totalJobs),
    windowHours,
  };
  const recorded: FlagMetricsEvent = {
    type: 'JobOutcomeRecorded',
    data: {
      flag: input.flag,
      subjectId: input.subjectId,
      processor: input.processor,
      success: input.success,
      durationMs: input.durationMs,
      ...(input.error === undefined ? {} : { error: input.error }),
      occurredAt: input.occurredAt ?? now.toISOString(),
      recordedAt: now.toISOString(),
    },
  };
  const level = healthOf(after);
  if (RANK[level] <= RANK[healthOf(before)]) return { events: [recorded], figures };
  const alert = {
    flag: input.flag,
    ...figures,
    thresholdPercent:
      level === 'critical' ? ERROR_RATE_CRITICAL_PERCENT : ERROR_RATE_WARNING_PERCENT,
    detectedAt: now.toISOString(),
  };
  const type = level === 'critical' ? 'ErrorRateCritical' : 'ErrorRateWarning';
  return { events: [recorded, { type, data: alert }], figures };
}
