import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type {
  ApiUsageRecorded,
  BusinessesDiscovered,
  CommunityPhaseCompleted,
  CommunityPhaseFailed,
  ListBusinessesReply,
} from '@rcp/contracts';
import { request as natsRequest } from '@rcp/messaging';
import { eventually, readStream, startTestInfra, type TestInfra } from '@rcp/testing';
import { GooglePlacesClient } from '../src/adapters/places/google-places.client';
import { openDiscovery } from '../src/discovery-app';
import {
  fakePlace,
  FakePlacesServer,
  googleError,
  type RecordedRequest,
} from './fixtures/fake-places.server';
import { discoveryEvents, phaseRequest, publishRequest } from './fixtures/phase-requests';

/** Restaurants: 2 pages (20 + 5); cafes: 3, one of them also a restaurant; parks: 2; the catch-all query fails. */
function places(req: RecordedRequest) {
  const query = String(req.body.textQuery ?? '');
  if (req.path.endsWith(':searchNearby'))
    return {
      status: 200,
      body: {
        places: [
          fakePlace('park-1', { type: 'park' }),
          fakePlace('park-2', { type: 'park', website: 'https://park2.example' }),
        ],
      },
    };
  if (query.startsWith('local business'))
    return { status: 400, body: googleError(400, 'query rejected') };
  if (query.startsWith('cafe'))
    return {
      status: 200,
      body: {
        places: [
          fakePlace('cafe-1', { website: 'https://c1.example' }),
          fakePlace('cafe-2'),
          fakePlace('rest-3'),
        ],
      },
    };
  if (req.body.pageToken === 'second')
    return {
      status: 200,
      body: { places: Array.from({ length: 5 }, (_, i) => fakePlace(`rest-${20 + i}`)) },
    };
  return {
    status: 200,
    body: {
      places: Array.from({ length: 20 }, (_, i) =>
        fakePlace(`rest-${i}`, { website: i < 4 ? `https://r${i}.example` : undefined }),
      ),
      nextPageToken: 'second',
    },
  };
}

describe('phase 1: business discovery through the phase protocol', () => {
  let infra: TestInfra;
  let fake: FakePlacesServer;
  let service: Awaited<ReturnType<typeof openDiscovery>>;
  let nc: NatsConnection;
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await service.runtime.db.query<{ n: string }>(sql, params))[0].n);

  beforeAll(async () => {
    infra = await startTestInfra('discovery-p1');
    fake = new FakePlacesServer(places);
    await fake.start();
    service = await openDiscovery({
      natsUrl: infra.natsUrl,
      databaseUrl: infra.databaseUrl,
      provider: new GooglePlacesClient({
        apiKey: 'k',
        baseUrl: fake.url,
        timeoutMs: 2_000,
        maxRetries: 1,
        retryBaseMs: 10,
      }),
      config: {
        pollMs: 50,
        search: {
          dense: ['restaurant', 'cafe'],
          sparse: ['park'],
          textQueries: ['local business'],
          maxPages: 3,
          radiusMeters: 5_000,
          concurrency: 2,
        },
      },
    });
    nc = service.runtime.nc;
  });
  afterAll(async () => {
    await service?.stop();
    await fake?.stop();
    await infra?.stop();
  });

  it('discovers businesses once each, records one ApiUsageRecorded per call, and survives a failing query', async () => {
    const request = phaseRequest({ phase: 1 });
    await publishRequest(nc, request);
    const id = request.data.communityRolloutId;
    const [done] = await eventually(async () => {
      const found = await discoveryEvents<CommunityPhaseCompleted>(
        nc,
        'CommunityPhaseCompleted',
        id,
      );
      expect(found).toHaveLength(1);
      return found;
    }, 30_000);
    expect(done).toMatchObject({
      phase: 1,
      attempt: 1,
      stateCode: 'TX',
      communityId: request.data.communityId,
    });
    expect(done.counters).toEqual({
      businessesDiscovered: 29,
      businessesWithWebsites: 6,
      apiCallsMade: 4,
    });
    expect(done.warnings).toEqual([
      expect.stringContaining(
        '"local business" failed: POST /v1/places:searchText: HTTP 400 query rejected',
      ),
    ]);
    const usage = await discoveryEvents<ApiUsageRecorded>(nc, 'ApiUsageRecorded', id);
    expect(usage).toHaveLength(fake.billable);
    expect(usage).toHaveLength(4);
    expect(usage.map((u) => u.endpoint).sort()).toEqual([
      'nearby_search',
      'text_search',
      'text_search',
      'text_search',
    ]);
    expect(
      usage.every(
        (u) =>
          u.estimatedCost === '0.005' &&
          u.skuTier === 'essentials' &&
          u.apiName === 'google_places' &&
          u.phase === 1,
      ),
    ).toBe(true);
    expect(usage.map((u) => u.actualResponseCount).sort((a, b) => a - b)).toEqual([2, 3, 5, 20]);
    await service.runtime.waitForProjections(20_000);
    expect(await count('SELECT count(*) AS n FROM businesses')).toBe(29);
    expect(
      await count(
        'SELECT count(*) AS n FROM community_businesses WHERE community_rollout_id = $1',
        [id],
      ),
    ).toBe(29);
  });

  it('re-running phase 1 for the community creates no duplicate business', async () => {
    const first = phaseRequest({ phase: 1 });
    const id = first.data.communityRolloutId;
    await publishRequest(nc, first);
    await publishRequest(nc, phaseRequest({ ...first.data, attempt: 2 }));
    await eventually(
      async () => expect(await discoveryEvents(nc, 'CommunityPhaseCompleted', id)).toHaveLength(2),
      30_000,
    );
    await service.runtime.waitForProjections(20_000);
    const discovered = await discoveryEvents<BusinessesDiscovered>(nc, 'BusinessesDiscovered', id);
    expect(discovered.flatMap((e) => e.businesses)).toHaveLength(58);
    expect(await count('SELECT count(*) AS n FROM businesses')).toBe(29);
    expect(
      await count(
        'SELECT count(*) AS n FROM community_businesses WHERE community_rollout_id = $1',
        [id],
      ),
    ).toBe(29);
    const reply = await natsRequest<ListBusinessesReply>(nc, 'qry.discovery.ListBusinesses', {
      communityRolloutId: id,
      limit: 5,
    });
    expect(reply).toMatchObject({ ok: true, data: { total: 29 } });
    expect(reply.ok && reply.data.items).toHaveLength(5);
  });

  it('answers each (phase, attempt) once, even when the request is delivered twice', async () => {
    const request = phaseRequest({ phase: 1 });
    await publishRequest(nc, request);
    await publishRequest(nc, { ...request, id: randomUUID() });
    const id = request.data.communityRolloutId;
    await eventually(
      async () => expect(await discoveryEvents(nc, 'CommunityPhaseCompleted', id)).toHaveLength(1),
      30_000,
    );
    await service.runtime.waitForProjections(20_000);
    expect(
      await count('SELECT count(*) AS n FROM phase_jobs WHERE community_rollout_id = $1', [id]),
    ).toBe(1);
    expect(await discoveryEvents(nc, 'ApiUsageRecorded', id)).toHaveLength(4);
  });

  it('fails phase 1 at once, not retryable, for a community without a location; and a passed deadline', async () => {
    const noLocation = phaseRequest({ phase: 1, latitude: null, longitude: null });
    const late = phaseRequest({ phase: 1, deadline: new Date(Date.now() - 1_000).toISOString() });
    await publishRequest(nc, noLocation);
    await publishRequest(nc, late);
    const [failed] = await eventually(async () => {
      const found = await discoveryEvents<CommunityPhaseFailed>(
        nc,
        'CommunityPhaseFailed',
        noLocation.data.communityRolloutId,
      );
      expect(found).toHaveLength(1);
      return found;
    }, 30_000);
    expect(failed).toMatchObject({
      phase: 1,
      attempt: 1,
      retryable: false,
      error: { code: 'NO_LOCATION' },
    });
    const [timedOut] = await eventually(async () => {
      const found = await discoveryEvents<CommunityPhaseFailed>(
        nc,
        'CommunityPhaseFailed',
        late.data.communityRolloutId,
      );
      expect(found).toHaveLength(1);
      return found;
    }, 30_000);
    expect(timedOut).toMatchObject({ retryable: true, error: { code: 'DEADLINE_EXCEEDED' } });
  });

  it('dead-letters a malformed phase request instead of crashing', async () => {
    const bad = phaseRequest({ phase: 1 });
    (bad.data as unknown as Record<string, unknown>).attempt = 'first';
    await publishRequest(nc, bad);
    await eventually(async () => {
      const letters = await readStream<{ envelope: { id: string }; error: { message: string } }>(
        nc,
        'ROLLOUT_DLQ',
        'dlq.discovery.phase-requests',
      );
      expect(letters.find((l) => l.data.envelope.id === bad.id)?.data.error.message).toMatch(
        /attempt/,
      );
    }, 30_000);
  });
});
