import {
  MAX_SEEDED_ITEMS_PER_EVENT,
  type CommunityCountersDto,
  type CrmLeadSeeded,
  type DirectoryListingSeeded,
  type DiscoveryEventRef,
  type EventVenueSeeded,
} from '@rcp/contracts';
import type { BusinessRecord } from './business';
import { chunk } from './business.decide';

/** What phase 6 publishes for the downstream products (on `CommunityRollout-<id>`). */
export type SeedingEvent =
  | { type: 'DirectoryListingSeeded'; data: DirectoryListingSeeded }
  | { type: 'EventVenueSeeded'; data: EventVenueSeeded }
  | { type: 'CrmLeadSeeded'; data: CrmLeadSeeded };

/** Place types that host events. */
export const VENUE_TYPES = [
  'event_venue',
  'banquet_hall',
  'community_center',
  'performing_arts_theater',
  'concert_hall',
  'stadium',
  'park',
  'bar',
  'night_club',
  'museum',
  'art_gallery',
  'library',
] as const;

const place = (b: BusinessRecord) => ({
  placeId: b.placeId,
  name: b.name,
  address: b.address,
  latitude: b.latitude,
  longitude: b.longitude,
  website: b.website,
  phone: b.phone,
});

export function venueTypeOf(b: BusinessRecord): string | undefined {
  const types = [b.primaryType, ...(b.types ?? [])];
  return VENUE_TYPES.find((v) => types.includes(v));
}

/** 0–100: a website, a feed, a phone and good ratings make a better lead. */
export function crmLeadScore(b: BusinessRecord): number {
  let score = 20;
  if (b.website) score += 30;
  if ((b.scan?.feedUrls.length ?? 0) > 0) score += 20;
  if (b.phone) score += 10;
  if ((b.rating ?? 0) >= 4) score += 10;
  if ((b.userRatingCount ?? 0) >= 50) score += 10;
  return Math.min(100, score);
}

/** Phase 6: directory listings for all, venues for venue types, CRM leads for reachable ones. */
export function decideSeeding(
  ref: DiscoveryEventRef,
  businesses: readonly BusinessRecord[],
  now: Date,
): { events: SeedingEvent[]; counters: CommunityCountersDto } {
  const seededAt = now.toISOString();
  const listings = businesses.map((b) => ({ ...place(b), category: b.category }));
  const venues = businesses.flatMap((b) => {
    const venueType = venueTypeOf(b);
    return venueType ? [{ ...place(b), venueType }] : [];
  });
  const leads = businesses
    .filter((b) => b.website || b.phone)
    .map((b) => ({ ...place(b), category: b.category, score: crmLeadScore(b) }));
  const events: SeedingEvent[] = [
    ...chunk(listings, MAX_SEEDED_ITEMS_PER_EVENT).map((items) => ({
      type: 'DirectoryListingSeeded' as const,
      data: { ...ref, items, seededAt },
    })),
    ...chunk(venues, MAX_SEEDED_ITEMS_PER_EVENT).map((items) => ({
      type: 'EventVenueSeeded' as const,
      data: { ...ref, items, seededAt },
    })),
    ...chunk(leads, MAX_SEEDED_ITEMS_PER_EVENT).map((items) => ({
      type: 'CrmLeadSeeded' as const,
      data: { ...ref, items, seededAt },
    })),
  ];
  return {
    events,
    counters: {
      directoryListingsCreated: listings.length,
      eventsVenuesCreated: venues.length,
      crmLeadsCreated: leads.length,
    },
  };
}
