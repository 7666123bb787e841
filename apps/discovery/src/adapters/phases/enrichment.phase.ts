import {
  MAX_BUSINESSES_PER_EVENT,
  type BusinessEnrichmentDto,
  type CommunityPhaseRequested,
} from '@rcp/contracts';
import { chunk } from '../../domain/business/business.decide';
import { PHASE_FAILURE_CODES } from '../../domain/community-phase/community-phase.decide';
import {
  emptyWork,
  errorText,
  mapLimit,
  refOf,
  UsageRecorder,
  type PhaseDeps,
  type PhaseWork,
} from './phase-work';

/** Phase 4: Pro-tier place details for businesses with websites, unless the rollout skips it. */
export async function runEnrichmentPhase(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
  signal: AbortSignal,
): Promise<PhaseWork> {
  if (job.skipEnrichment)
    return emptyWork({
      type: 'complete',
      counters: { apiCallsMade: 0 },
      warnings: ['enrichment skipped (skipEnrichment)'],
    });
  const targets = (await deps.loadBusinesses(job.communityRolloutId)).filter((b) => b.website);
  const usage = new UsageRecorder(job, deps.config.prices, deps.clock);
  const warnings: string[] = [];
  deps.quota?.plan('pro', targets.length);
  const details = await mapLimit(targets, deps.config.enrichConcurrency, async (b) => {
    try {
      return await deps.provider.placeDetails(b.placeId, {
        signal,
        onCall: usage.record,
        beforeCall: deps.quota?.acquire,
        seed: job.communityId,
      });
    } catch (error) {
      warnings.push(`details of ${b.placeId} failed: ${errorText(error)}`);
      return undefined;
    }
  });
  const enriched = details.filter((d): d is BusinessEnrichmentDto => d !== undefined);
  const counters = { apiCallsMade: usage.records.length };
  const businessEvents = chunk(enriched, MAX_BUSINESSES_PER_EVENT).map((businesses) => ({
    type: 'BusinessesEnriched' as const,
    data: { ...refOf(job), businesses, enrichedAt: deps.clock().toISOString() },
  }));
  const outcome: PhaseWork['outcome'] =
    targets.length > 0 && enriched.length === 0
      ? {
          type: 'fail',
          error: {
            code: PHASE_FAILURE_CODES.allCallsFailed,
            message: warnings.slice(0, 3).join('; '),
          },
          retryable: true,
          counters,
        }
      : { type: 'complete', counters, warnings: warnings.slice(0, 100) };
  return { outcome, businessEvents, seedingEvents: [], newsSources: [], usage: usage.records };
}
