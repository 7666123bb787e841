import type { DiscoveredBusinessDto, DiscoveryEventRef } from '@rcp/contracts';
import {
  businessesOf,
  evolveBusinesses,
  initialBusinessState,
  type BusinessEvent,
} from './business';
import { decideDiscovery, type SearchOutcome } from './business.decide';
import { crmLeadScore, decideSeeding } from './business-seeding';

const ref: DiscoveryEventRef = {
  communityRolloutId: '7d4f1c1e-56c8-4a43-9a77-1f0e7f1e2b01',
  stateRolloutId: '9a7c2f4e-8f55-4cbb-a7e6-6d3f1f8c0c02',
  stateCode: 'TX',
};
const now = new Date('2026-06-01T12:00:00.000Z');
const place = (
  placeId: string,
  extra: Partial<DiscoveredBusinessDto> = {},
): DiscoveredBusinessDto => ({
  placeId,
  name: placeId,
  category: 'restaurant',
  latitude: 30,
  longitude: -97,
  ...extra,
});
const ok = (label: string, places: DiscoveredBusinessDto[], calls = 1): SearchOutcome => ({
  label,
  ok: true,
  places,
  calls,
});
const failed = (label: string): SearchOutcome => ({
  label,
  ok: false,
  places: [],
  calls: 0,
  error: 'HTTP 500',
});

describe('phase 1 discovery decisions', () => {
  it('stores a business found by two categories once, under the first category', () => {
    const decision = decideDiscovery(
      ref,
      [
        ok('restaurant', [place('a', { website: 'https://a.example' }), place('b')], 2),
        ok('cafe', [place('b', { category: 'cafe' }), place('c', { category: 'cafe' })]),
      ],
      now,
    );
    const businesses = decision.events.flatMap((e) =>
      e.type === 'BusinessesDiscovered' ? e.data.businesses : [],
    );
    expect(businesses.map((b) => [b.placeId, b.category])).toEqual([
      ['a', 'restaurant'],
      ['b', 'restaurant'],
      ['c', 'cafe'],
    ]);
    expect(decision.counters).toEqual({
      businessesDiscovered: 3,
      businessesWithWebsites: 1,
      apiCallsMade: 3,
    });
    expect(decision.allFailed).toBe(false);
  });

  it('logs a failing category as a warning and fails only when every search failed', () => {
    const some = decideDiscovery(ref, [ok('restaurant', [place('a')]), failed('park')], now);
    expect(some.warnings).toEqual(['search "park" failed: HTTP 500']);
    expect(some.allFailed).toBe(false);
    expect(decideDiscovery(ref, [failed('restaurant'), failed('park')], now).allFailed).toBe(true);
  });

  it('splits more than 500 businesses into batches', () => {
    const many = Array.from({ length: 1_201 }, (_, i) => place(`p${i}`));
    expect(
      decideDiscovery(ref, [ok('restaurant', many, 3)], now).events.map(
        (e) => (e.data as { businesses: unknown[] }).businesses.length,
      ),
    ).toEqual([500, 500, 201]);
  });
});

describe('business state and phase 6 seeding', () => {
  const history: BusinessEvent[] = [
    {
      type: 'BusinessesDiscovered',
      data: {
        ...ref,
        businesses: [
          place('a', { website: 'https://a.example', rating: 4.5 }),
          place('hall', { primaryType: 'event_venue', category: 'event_venue' }),
          place('quiet'),
        ],
        discoveredAt: now.toISOString(),
      },
    },
    {
      type: 'WebsiteScanned',
      data: {
        ...ref,
        placeId: 'a',
        url: 'https://a.example',
        outcome: 'ok',
        feedUrls: ['https://a.example/feed'],
        cmsHints: [],
        durationMs: 5,
        scannedAt: now.toISOString(),
      },
    },
    {
      type: 'BusinessesEnriched',
      data: {
        ...ref,
        businesses: [{ placeId: 'hall', phone: '(512) 555-0100' }],
        enrichedAt: now.toISOString(),
      },
    },
  ];

  it('folds scans and enrichment into the discovered businesses', () => {
    const [a, hall] = businessesOf(history.reduce(evolveBusinesses, initialBusinessState));
    expect(a.scan?.feedUrls).toEqual(['https://a.example/feed']);
    expect(hall.phone).toBe('(512) 555-0100');
  });

  it('lists every business, venues by type, and reachable businesses as scored leads', () => {
    const businesses = businessesOf(history.reduce(evolveBusinesses, initialBusinessState));
    const { events, counters } = decideSeeding(ref, businesses, now);
    expect(counters).toEqual({
      directoryListingsCreated: 3,
      eventsVenuesCreated: 1,
      crmLeadsCreated: 2,
    });
    expect(events.map((e) => e.type)).toEqual([
      'DirectoryListingSeeded',
      'EventVenueSeeded',
      'CrmLeadSeeded',
    ]);
    expect(crmLeadScore(businesses[0])).toBe(80);
  });
});
