/** Quota tiers (seed 003); a tenant without a tier is `free`. */
export const QUOTA_TIERS = ['free', 'pro', 'enterprise'] as const;
export type QuotaTier = (typeof QUOTA_TIERS)[number];

/** Status of an async job (seed 003 `ai_evaluation_jobs.status`). */
export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Meters: lower case, digits, `_`, `.`, `-`, e.g. `ai_evaluation`, `google_places.essentials`. */
export const METER_PATTERN = /^[a-z0-9_.-]+$/;

/** Tenant ids: letters, digits and `._:-`, e.g. a site id or `rollout-control-plane`. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** A calendar month in UTC, `YYYY-MM`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The meter of seed 003 and its monthly limits per tier (`free` 20 a month). */
export const AI_EVALUATION_METER = 'ai_evaluation';

/** The Places meter of one SKU tier, e.g. `google_places.essentials`. */
export function placesMeter(skuTier: string): string {
  return `google_places.${skuTier}`;
}

/** Defaults of reservations and jobs. */
export const QUOTA_DEFAULTS = {
  tier: 'free' as QuotaTier,
  reservationTtlMs: 5 * 60_000,
  maxRetries: 3,
} as const;

/** Most units one reservation may ask for. */
export const MAX_UNITS_PER_REQUEST = 1_000_000;

/** Limits per tier of a meter. */
export type TierLimits = Record<QuotaTier, number>;

/**
 * Default monthly limits per meter and tier; the service merges `QUOTA_LIMITS` (JSON, same shape)
 * over them. The Places meters start at Google's free monthly calls per SKU tier.
 */
export const DEFAULT_QUOTA_LIMITS: Readonly<Record<string, TierLimits>> = {
  [AI_EVALUATION_METER]: { free: 20, pro: 500, enterprise: 5_000 },
  'google_places.essentials': { free: 10_000, pro: 100_000, enterprise: 1_000_000 },
  'google_places.pro': { free: 5_000, pro: 50_000, enterprise: 500_000 },
  'google_places.enterprise': { free: 1_000, pro: 10_000, enterprise: 100_000 },
};

/** Error codes of the quota service besides the shared ERROR_CODES. */
export const QUOTA_ERROR_CODES = {
  /** The meter has neither a configured limit nor an explicit one for this tenant. */
  METER_NOT_CONFIGURED: 'METER_NOT_CONFIGURED',
} as const;
