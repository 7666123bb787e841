import {
  DETAILS_FIELD_MASK,
  SEARCH_FIELD_MASK,
  skuTierOf,
} from '../src/adapters/places/field-masks';
import { GooglePlacesClient } from '../src/adapters/places/google-places.client';
import { PlacesApiError, type PlacesCall } from '../src/adapters/places/places-provider';
import { fakePlace, FakePlacesServer, googleError } from './fixtures/fake-places.server';

const API_KEY = 'test-key-5ecret';
const center = { latitude: 30.2672, longitude: -97.7431 };
const page = (n: number, token?: string) => ({
  places: Array.from({ length: 20 }, (_, i) =>
    fakePlace(`p${n}-${i}`, { website: i % 2 ? `https://site-${n}-${i}.example` : undefined }),
  ),
  ...(token ? { nextPageToken: token } : {}),
});

describe('GooglePlacesClient against a local Places API (New)', () => {
  let fake: FakePlacesServer;
  let client: GooglePlacesClient;

  beforeAll(async () => {
    fake = new FakePlacesServer(() => ({ status: 500, body: {} }));
    const baseUrl = await fake.start();
    client = new GooglePlacesClient({
      apiKey: API_KEY,
      baseUrl,
      timeoutMs: 2_000,
      maxRetries: 2,
      retryBaseMs: 10,
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.replies.length = 0;
  });

  it('follows nextPageToken to at most 3 pages of 20 and reports one call per page', async () => {
    fake.handler = (req) => ({
      status: 200,
      body: page(
        req.body.pageToken === 'p2' ? 2 : req.body.pageToken === 'p3' ? 3 : 1,
        req.body.pageToken === 'p3' ? 'p4' : req.body.pageToken === 'p2' ? 'p3' : 'p2',
      ),
    });
    const calls: PlacesCall[] = [];
    const places = await client.searchText(
      {
        textQuery: 'restaurant in Austin, TX',
        category: 'restaurant',
        center,
        radiusMeters: 5_000,
        maxPages: 3,
      },
      { onCall: (c) => calls.push(c) },
    );
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.map((r) => r.body.pageToken)).toEqual([undefined, 'p2', 'p3']);
    expect(fake.requests[0].path).toBe('/v1/places:searchText');
    expect(fake.requests[0].body).toMatchObject({
      textQuery: 'restaurant in Austin, TX',
      pageSize: 20,
      locationBias: { circle: { center, radius: 5_000 } },
    });
    expect(places).toHaveLength(60);
    expect(places.filter((p) => p.website)).toHaveLength(30);
    expect(places[0]).toMatchObject({
      placeId: 'p1-0',
      name: 'Business p1-0',
      category: 'restaurant',
      latitude: expect.any(Number),
    });
    expect(calls).toEqual(
      Array(3).fill({ endpoint: 'text_search', skuTier: 'essentials', responseCount: 20 }),
    );
  });

  it('sends the API key and the field mask of each tier, and bills at the highest SKU of the mask', async () => {
    fake.handler = (req) => ({
      status: 200,
      body:
        req.method === 'GET'
          ? {
              ...fakePlace('abc'),
              nationalPhoneNumber: '(512) 555-0100',
              regularOpeningHours: { weekdayDescriptions: ['Monday: 9 AM – 5 PM'] },
            }
          : { places: [fakePlace('n1', { type: 'park' })] },
    });
    const calls: PlacesCall[] = [];
    await client.searchNearby(
      { includedTypes: ['park'], category: 'park', center, radiusMeters: 3_000 },
      { onCall: (c) => calls.push(c) },
    );
    const details = await client.placeDetails('abc', { onCall: (c) => calls.push(c) });
    const [nearby, detail] = fake.requests;
    expect(nearby.path).toBe('/v1/places:searchNearby');
    expect(nearby.body).toMatchObject({
      includedTypes: ['park'],
      maxResultCount: 20,
      locationRestriction: { circle: { center, radius: 3_000 } },
    });
    expect(nearby.headers['x-goog-api-key']).toBe(API_KEY);
    expect(nearby.headers['x-goog-fieldmask']).toBe(SEARCH_FIELD_MASK);
    expect(detail.method).toBe('GET');
    expect(detail.path).toBe('/v1/places/abc');
    expect(detail.headers['x-goog-fieldmask']).toBe(DETAILS_FIELD_MASK);
    expect(calls.map((c) => [c.endpoint, c.skuTier])).toEqual([
      ['nearby_search', 'essentials'],
      ['place_details', 'pro'],
    ]);
    expect(details).toMatchObject({
      placeId: 'abc',
      phone: '(512) 555-0100',
      openingHours: ['Monday: 9 AM – 5 PM'],
    });
    expect(skuTierOf('places.id,places.displayName')).toBe('essentials');
    expect(skuTierOf('id,rating')).toBe('pro');
    expect(skuTierOf('id,reviews')).toBe('enterprise');
  });

  it('retries a 429 with backoff and then succeeds, billing only the successful call', async () => {
    fake.handler = (_req, i) =>
      i === 0
        ? { status: 429, body: googleError(429, 'Resource exhausted') }
        : { status: 200, body: page(1) };
    const calls: PlacesCall[] = [];
    const places = await client.searchText(
      { textQuery: 'cafe', category: 'cafe', center, radiusMeters: 1_000, maxPages: 1 },
      { onCall: (c) => calls.push(c) },
    );
    expect(fake.replies).toEqual([429, 200]);
    expect(places).toHaveLength(20);
    expect(calls).toHaveLength(1);
  });

  it('fails fast on a 400 with a clear error that never shows the API key', async () => {
    fake.handler = () => ({ status: 400, body: googleError(400, 'Invalid textQuery') });
    const error = await client
      .searchText({ textQuery: '', category: 'x', center, radiusMeters: 1, maxPages: 3 })
      .catch((e: unknown) => e);
    expect(fake.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(PlacesApiError);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as Error).message).toMatch(/HTTP 400 Invalid textQuery/);
    expect((error as Error).message).not.toContain(API_KEY);
  });

  it('times out a hanging call, retries it, then fails as retryable', async () => {
    const quick = new GooglePlacesClient({
      apiKey: API_KEY,
      baseUrl: fake.url,
      timeoutMs: 150,
      maxRetries: 1,
      retryBaseMs: 10,
    });
    fake.handler = () => ({ status: 200, body: page(1), delayMs: 1_000 });
    const error = await quick
      .searchNearby({ includedTypes: ['bar'], category: 'bar', center, radiusMeters: 1 })
      .catch((e: unknown) => e);
    expect(fake.requests).toHaveLength(2);
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/timed out after 150 ms/),
    });
  });
});
