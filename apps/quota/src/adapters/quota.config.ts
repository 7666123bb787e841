import { DEFAULT_QUOTA_LIMITS, QUOTA_DEFAULTS, QUOTA_TIERS, type TierLimits } from '@rcp/contracts';

/** Settings of the quota service, from the environment with safe defaults. */
export interface QuotaConfig {
  /** Monthly limits per meter and tier. */
  limits: Record<string, TierLimits>;
  /** TTL of a reservation when the request gives none. */
  reservationTtlMs: number;
  /** TTL of the reservation a job holds until it completes or fails. */
  jobReservationTtlMs: number;
  /** Delay before job retry n is `jobRetryBackoffMs[n - 1]`; the last value repeats. */
  jobRetryBackoffMs: number[];
  /** Runs the built-in worker (JobSubmitted consumer + retry timers). */
  worker: boolean;
}

function parseLimits(raw: string | undefined): Record<string, TierLimits> {
  const limits: Record<string, TierLimits> = { ...DEFAULT_QUOTA_LIMITS };
  if (!raw) return limits;
  const parsed = JSON.parse(raw) as Record<string, Partial<TierLimits>>;
  for (const [meter, tiers] of Object.entries(parsed)) {
    for (const [tier, limit] of Object.entries(tiers))
      if (!QUOTA_TIERS.includes(tier as never) || !Number.isInteger(limit) || limit! < 0)
        throw new Error(`QUOTA_LIMITS: ${meter}.${tier} must be a tier with a whole limit ≥ 0`);
    limits[meter] = { ...limits[meter], ...tiers } as TierLimits;
  }
  return limits;
}

function parseMs(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number of ms`);
  return value;
}

function parseBackoff(raw: string | undefined): number[] {
  if (!raw) return [5_000, 30_000, 120_000];
  return raw.split(',').map((step) => parseMs('QUOTA_JOB_RETRY_BACKOFF_MS', step.trim(), 0));
}

export function loadQuotaConfig(env: NodeJS.ProcessEnv = process.env): QuotaConfig {
  return {
    limits: parseLimits(env.QUOTA_LIMITS),
    reservationTtlMs: parseMs(
      'QUOTA_RESERVATION_TTL_MS',
      env.QUOTA_RESERVATION_TTL_MS,
      QUOTA_DEFAULTS.reservationTtlMs,
    ),
    jobReservationTtlMs: parseMs(
      'QUOTA_JOB_RESERVATION_TTL_MS',
      env.QUOTA_JOB_RESERVATION_TTL_MS,
      24 * 3_600_000,
    ),
    jobRetryBackoffMs: parseBackoff(env.QUOTA_JOB_RETRY_BACKOFF_MS),
    worker: env.QUOTA_WORKER !== 'off',
  };
}
