import type { CommunityPhaseRequested } from '@rcp/contracts';
import type { Logger } from '@rcp/telemetry';
import { PHASE_FAILURE_CODES } from '../../domain/community-phase/community-phase.decide';
import type { QuotaSettings } from '../../discovery.config';
import type { PhaseWork } from '../phases/phase-work';
import { PhaseQuota } from './phase-quota';
import type { QuotaPort } from './quota.client';

const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 24 * 3_600_000;

/** Hands out one `PhaseQuota` per phase run; remembers whether the quota service ever answered. */
export class PlacesQuota {
  private seen = false;

  constructor(
    private readonly port: QuotaPort,
    private readonly settings: QuotaSettings,
    private readonly logger: Logger,
  ) {}

  /** The quota of one claim of a phase job, or null when metering is off. */
  forJob(job: CommunityPhaseRequested, claims: number, now: Date): PhaseQuota | null {
    if (this.settings.mode === 'off') return null;
    // A reservation outlives the phase's deadline, so it never lapses while its calls run.
    const ttlMs = Date.parse(job.deadline) - now.getTime() + MIN_TTL_MS;
    return new PhaseQuota({
      port: this.port,
      keyBase: `discovery:${job.communityRolloutId}:${job.phase}:${job.attempt}:${claims}`,
      ttlMs: Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, Number.isFinite(ttlMs) ? ttlMs : 0)),
      chunk: this.settings.chunk,
      strict: () => this.settings.mode === 'on' || this.seen,
      answered: () => {
        this.seen = true;
      },
      logger: this.logger,
    });
  }
}

/** Billed calls per SKU tier of a phase run (one `ApiUsageRecorded` per billed call). */
export function billedByTier(work: PhaseWork): Map<string, number> {
  const billed = new Map<string, number>();
  for (const usage of work.usage)
    billed.set(usage.skuTier, (billed.get(usage.skuTier) ?? 0) + usage.requestCount);
  return billed;
}

/** A run stopped by the quota fails with QUOTA_EXCEEDED (not retryable) or QUOTA_UNAVAILABLE. */
export function withQuotaOutcome(work: PhaseWork, quota: PhaseQuota): PhaseWork {
  const counters = work.outcome.counters;
  if (quota.refusal)
    return {
      ...work,
      outcome: {
        type: 'fail',
        error: { code: PHASE_FAILURE_CODES.quotaExceeded, message: quota.refusal },
        retryable: false,
        counters,
      },
    };
  if (quota.unavailable)
    return {
      ...work,
      outcome: {
        type: 'fail',
        error: { code: PHASE_FAILURE_CODES.quotaUnavailable, message: quota.unavailable },
        retryable: true,
        counters,
      },
    };
  return work;
}
