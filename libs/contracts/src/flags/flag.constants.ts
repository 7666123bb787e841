/** Flag names: letters, digits, `.`, `_`, `-` (1–100 characters). */
export const FLAG_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

/** How a flag picks subjects once allow and deny lists are applied. */
export const FLAG_STRATEGIES = ['percentage', 'whitelist', 'category'] as const;
export type FlagStrategy = (typeof FLAG_STRATEGIES)[number];

/** Categories of subjects for the category strategy (seed 002 `repository_categories`). */
export const SUBJECT_CATEGORIES = ['test', 'small', 'medium', 'large', 'enterprise'] as const;
export type SubjectCategory = (typeof SUBJECT_CATEGORIES)[number];

/** Who or what made a change in a flag's history. */
export const TRIGGERED_BY = ['manual', 'auto_rollback', 'schedule'] as const;
export type TriggeredBy = (typeof TRIGGERED_BY)[number];

/** Where an emergency stop comes from: the flag, or the `FLAGS_EMERGENCY_STOP` environment override. */
export const EMERGENCY_STOP_SOURCES = ['flag', 'environment'] as const;
export type EmergencyStopSource = (typeof EMERGENCY_STOP_SOURCES)[number];

/**
 * Why an evaluation gave its answer, in evaluation order: emergency stop, inactive, deny list, allow
 * list, then the strategy (`percentage`, `category`, or `not_allowed` under `whitelist`).
 */
export const EVALUATION_REASONS = [
  'emergency_stop',
  'inactive',
  'denied',
  'allowed',
  'percentage',
  'category',
  'not_allowed',
] as const;
export type EvaluationReason = (typeof EVALUATION_REASONS)[number];

/** Actions of `rollout_history` rows. */
export const FLAG_HISTORY_ACTIONS = [
  'created',
  'updated',
  'percentage_changed',
  'strategy_changed',
  'subjects_allowed',
  'subjects_disallowed',
  'subjects_denied',
  'subjects_undenied',
  'emergency_stop',
  'emergency_stop_released',
  'ramp_scheduled',
  'ramp_step',
  'ramp_cancelled',
  'rollback',
] as const;
export type FlagHistoryAction = (typeof FLAG_HISTORY_ACTIONS)[number];

/** Defaults of a new flag (seed 002). */
export const FLAG_DEFAULTS = {
  rolloutPercentage: 0,
  isActive: false,
  strategy: 'percentage' as FlagStrategy,
  maxErrorRate: 5.0,
  monitoringWindowHours: 24,
  autoRollbackEnabled: true,
  emergencyStop: false,
} as const;

/** Error-rate alert levels in percent, and the least jobs before auto-rollback may fire. */
export const ERROR_RATE_WARNING_PERCENT = 2.5;
export const ERROR_RATE_CRITICAL_PERCENT = 10;
export const AUTO_ROLLBACK_MIN_JOBS = 10;

/** Most subject ids in one allow/deny command or event. */
export const MAX_SUBJECTS_PER_CHANGE = 1000;

/**
 * Rollout priority of each category (0–100, higher rolls out first; seed 002
 * `repository_categories.priority_level`). Under the category strategy a category is enabled once
 * `rolloutPercentage > 0 && rolloutPercentage >= 100 - priority`.
 */
export const CATEGORY_PRIORITIES: Readonly<Record<SubjectCategory, number>> = {
  test: 100,
  small: 80,
  medium: 60,
  large: 40,
  enterprise: 20,
};

/**
 * How the category strategy derives a subject's category from its attributes (seed 002
 * `categorize_repository`): `category` names one outright; `isTest: true` is `test`; otherwise the
 * numeric `attribute` is compared with the lower bounds of `medium`, `large` and `enterprise`
 * (below `medium` is `small`).
 */
export interface CategoryThresholds {
  attribute: string;
  medium: number;
  large: number;
  enterprise: number;
}

/** Default thresholds: communities by population. */
export const DEFAULT_CATEGORY_THRESHOLDS: CategoryThresholds = {
  attribute: 'population',
  medium: 10_000,
  large: 100_000,
  enterprise: 1_000_000,
};
