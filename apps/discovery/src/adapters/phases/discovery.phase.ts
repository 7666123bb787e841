import type { CommunityPhaseRequested, DiscoveredBusinessDto } from '@rcp/contracts';
import { decideDiscovery, type SearchOutcome } from '../../domain/business/business.decide';
import { PHASE_FAILURE_CODES } from '../../domain/community-phase/community-phase.decide';
import type { PlacesRequestOptions, TextSearchRequest } from '../places/places-provider';
import {
  emptyWork,
  errorText,
  mapLimit,
  refOf,
  UsageRecorder,
  type PhaseDeps,
  type PhaseWork,
} from './phase-work';

interface Search {
  label: string;
  run(options: PlacesRequestOptions): Promise<DiscoveredBusinessDto[]>;
}

function searchesFor(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
  center: { latitude: number; longitude: number },
): Search[] {
  const { dense, sparse, textQueries, maxPages, radiusMeters } = deps.config.search;
  const where = `${job.communityName}, ${job.stateCode}`;
  const { provider } = deps;
  const text = (label: string, request: Omit<TextSearchRequest, 'center' | 'radiusMeters'>) => ({
    label,
    run: (o: PlacesRequestOptions) => provider.searchText({ ...request, center, radiusMeters }, o),
  });
  const nearby = (category: string): Search => ({
    label: category,
    run: (o: PlacesRequestOptions) =>
      provider.searchNearby({ includedTypes: [category], category, center, radiusMeters }, o),
  });
  return [
    ...dense.map((category) =>
      deps.denseNearby
        ? nearby(category)
        : text(category, {
            textQuery: `${category.replace(/_/g, ' ')} in ${where}`,
            category,
            maxPages,
          }),
    ),
    ...sparse.map(nearby),
    ...textQueries.map((query) =>
      text(query, {
        textQuery: `${query} in ${where}`,
        category: query.replace(/\W+/g, '_').slice(0, 100),
        maxPages: 1,
        catchAll: true,
      }),
    ),
  ];
}

/** The most Essentials calls phase 1 makes: reserved at once with its first call. */
function plannedCalls(deps: PhaseDeps): number {
  const { dense, sparse, textQueries, maxPages } = deps.config.search;
  return dense.length * (deps.denseNearby ? 1 : maxPages) + sparse.length + textQueries.length;
}

/** Phase 1: dense categories by paginated text search, sparse by nearby search, catch-all queries. */
export async function runDiscoveryPhase(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
  signal: AbortSignal,
): Promise<PhaseWork> {
  if (job.latitude == null || job.longitude == null)
    return emptyWork({
      type: 'fail',
      error: {
        code: PHASE_FAILURE_CODES.noLocation,
        message: `community ${job.communityName} has no location`,
      },
      retryable: false,
    });
  const center = { latitude: job.latitude, longitude: job.longitude };
  const usage = new UsageRecorder(job, deps.config.prices, deps.clock);
  deps.quota?.plan('essentials', plannedCalls(deps));
  const area = {
    seed: job.communityId,
    town: job.communityName,
    stateCode: job.stateCode,
    population: job.population ?? 5_000,
  };
  const outcomes = await mapLimit(
    searchesFor(job, deps, center),
    deps.config.search.concurrency,
    async (search): Promise<SearchOutcome> => {
      let calls = 0;
      const onCall = (call: Parameters<typeof usage.record>[0]) => {
        calls += 1;
        usage.record(call);
      };
      try {
        const places = await search.run({
          signal,
          onCall,
          beforeCall: deps.quota?.acquire,
          seed: job.communityId,
          area,
        });
        return { label: search.label, ok: true, places, calls };
      } catch (error) {
        return { label: search.label, ok: false, places: [], calls, error: errorText(error) };
      }
    },
  );
  const decision = decideDiscovery(refOf(job), outcomes, deps.clock());
  const outcome: PhaseWork['outcome'] = decision.allFailed
    ? {
        type: 'fail',
        error: {
          code: PHASE_FAILURE_CODES.allCallsFailed,
          message: decision.warnings.slice(0, 3).join('; '),
        },
        retryable: true,
        counters: decision.counters,
      }
    : { type: 'complete', counters: decision.counters, warnings: decision.warnings };
  return {
    outcome,
    businessEvents: decision.events,
    seedingEvents: [],
    newsSources: [],
    usage: usage.records,
  };
}
