import {
  MAX_BUSINESSES_PER_EVENT,
  type CommunityCountersDto,
  type DiscoveredBusinessDto,
  type DiscoveryEventRef,
} from '@rcp/contracts';
import type { BusinessEvent } from './business';

/** One search of phase 1 (a category or a catch-all query): what it found or why it failed. */
export interface SearchOutcome {
  label: string;
  ok: boolean;
  places: DiscoveredBusinessDto[];
  /** Calls made (pages for a paginated text search). */
  calls: number;
  error?: string;
}

export interface DiscoveryDecision {
  events: BusinessEvent[];
  counters: CommunityCountersDto;
  warnings: string[];
  /** Every search failed: the phase fails (one failing category does not). */
  allFailed: boolean;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The businesses of phase 1, once each by place id (the first category that found one names it). */
export function uniqueBusinesses(outcomes: readonly SearchOutcome[]): DiscoveredBusinessDto[] {
  const byId = new Map<string, DiscoveredBusinessDto>();
  for (const outcome of outcomes)
    for (const place of outcome.places)
      if (!byId.has(place.placeId)) byId.set(place.placeId, place);
  return [...byId.values()];
}

/** Phase 1: turns the searches' outcomes into `BusinessesDiscovered` batches and counters. */
export function decideDiscovery(
  ref: DiscoveryEventRef,
  outcomes: readonly SearchOutcome[],
  now: Date,
): DiscoveryDecision {
  const businesses = uniqueBusinesses(outcomes);
  const failed = outcomes.filter((o) => !o.ok);
  const events: BusinessEvent[] = chunk(businesses, MAX_BUSINESSES_PER_EVENT).map((batch) => ({
    type: 'BusinessesDiscovered',
    data: { ...ref, businesses: batch, discoveredAt: now.toISOString() },
  }));
  return {
    events,
    counters: {
      businessesDiscovered: businesses.length,
      businessesWithWebsites: businesses.filter((b) => b.website).length,
      apiCallsMade: outcomes.reduce((sum, o) => sum + o.calls, 0),
    },
    warnings: failed.map((o) => `search "${o.label}" failed: ${o.error ?? 'unknown error'}`),
    allFailed: outcomes.length > 0 && failed.length === outcomes.length,
  };
}
