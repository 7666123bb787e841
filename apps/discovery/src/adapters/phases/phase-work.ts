import { createHash, randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import type {
  ApiUsageRecorded,
  CommunityCountersDto,
  CommunityPhaseRequested,
  DiscoveryEventRef,
  NewsSourceCreated,
  PhaseErrorDto,
} from '@rcp/contracts';
import { uuidFromSha1 } from '@rcp/domain';
import type { BusinessEvent, BusinessRecord } from '../../domain/business/business';
import type { SeedingEvent } from '../../domain/business/business-seeding';
import type { DiscoveryConfig } from '../../discovery.config';
import type { PlacesCall, PlacesProvider } from '../places/places-provider';
import type { PhaseQuota } from '../quota/phase-quota';

/** What a phase produced: facts to append (always) and the answer (decided in the write). */
export interface PhaseWork {
  outcome:
    | { type: 'complete'; counters: CommunityCountersDto; warnings: string[] }
    | { type: 'fail'; error: PhaseErrorDto; retryable: boolean; counters?: CommunityCountersDto };
  businessEvents: BusinessEvent[];
  seedingEvents: SeedingEvent[];
  newsSources: NewsSourceCreated[];
  usage: ApiUsageRecorded[];
}

export interface PhaseDeps {
  provider: PlacesProvider;
  config: DiscoveryConfig;
  /** The businesses discovery holds for a community rollout (folded from its own event store). */
  loadBusinesses(communityRolloutId: string): Promise<BusinessRecord[]>;
  clock(): Date;
  /** This run's Places quota: awaited before every paid call (absent when metering is off). */
  quota?: PhaseQuota;
  /** Phase 1: dense categories by Nearby Search instead of paginated Text Search (a flag's say). */
  denseNearby?: boolean;
}

export const emptyWork = (outcome: PhaseWork['outcome']): PhaseWork => ({
  outcome,
  businessEvents: [],
  seedingEvents: [],
  newsSources: [],
  usage: [],
});

export const refOf = (job: CommunityPhaseRequested): DiscoveryEventRef => ({
  communityRolloutId: job.communityRolloutId,
  stateRolloutId: job.stateRolloutId,
  communityId: job.communityId,
  stateCode: job.stateCode,
});

/** A name-based UUID (v5 layout over SHA-1): the same name always gives the same id. */
export function uuidFrom(name: string): string {
  return uuidFromSha1(createHash('sha1').update(`rcp-discovery:${name}`).digest());
}

/** Turns every billable Places call into one `ApiUsageRecorded`, priced from the config's table. */
export class UsageRecorder {
  readonly records: ApiUsageRecorded[] = [];

  constructor(
    private readonly job: CommunityPhaseRequested,
    private readonly prices: Record<string, string>,
    private readonly clock: () => Date,
  ) {}

  record = (call: PlacesCall): void => {
    const price = new Decimal(this.prices[`${call.endpoint}:${call.skuTier}`] ?? '0');
    this.records.push({
      usageId: randomUUID(),
      communityRolloutId: this.job.communityRolloutId,
      stateRolloutId: this.job.stateRolloutId,
      stateCode: this.job.stateCode,
      phase: this.job.phase,
      apiName: 'google_places',
      endpoint: call.endpoint,
      skuTier: call.skuTier,
      requestCount: 1,
      actualResponseCount: call.responseCount,
      estimatedCost: price.toFixed(),
      recordedAt: this.clock().toISOString(),
    });
  };
}

/** Runs `fn` over `items` with at most `limit` at once; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 900);
