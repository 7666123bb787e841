import type { NatsConnection } from '@nats-io/transport-node';
import type {
  ApiUsageRecorded,
  BusinessesEnriched,
  CommunityPhaseCompleted,
  CommunityPhaseRequested,
  CrmLeadSeeded,
  DirectoryListingSeeded,
  NewsSourceCreated,
  WebsiteScanned,
} from '@rcp/contracts';
import { eventually, startTestInfra, tableHash, type TestInfra } from '@rcp/testing';
import { openDiscovery } from '../src/discovery-app';
import { discoveryEvents, phaseRequest, publishRequest } from './fixtures/phase-requests';

describe('phases 1–6 with the simulated provider and the simulated web', () => {
  let infra: TestInfra;
  let service: Awaited<ReturnType<typeof openDiscovery>>;
  let nc: NatsConnection;
  const base = phaseRequest({
    communityName: 'Round Rock',
    latitude: 30.5083,
    longitude: -97.6789,
    population: 4_000,
  }).data;
  const id = base.communityRolloutId;

  const runPhase = async (
    phase: CommunityPhaseRequested['phase'],
    extra: Partial<CommunityPhaseRequested> = {},
  ) => {
    const attempt = extra.attempt ?? 1;
    await publishRequest(nc, phaseRequest({ ...base, phase, ...extra }));
    return eventually(async () => {
      const done = (
        await discoveryEvents<CommunityPhaseCompleted>(nc, 'CommunityPhaseCompleted', id)
      ).find((e) => e.phase === phase && e.attempt === attempt);
      expect(done).toBeDefined();
      return done!;
    }, 40_000);
  };

  beforeAll(async () => {
    infra = await startTestInfra('discovery-phases');
    service = await openDiscovery({
      natsUrl: infra.natsUrl,
      databaseUrl: infra.databaseUrl,
      config: {
        pollMs: 50,
        simulated: { latencyMs: 0, errorRate: 0, webPort: 0, slowMs: 100 },
        scan: {
          concurrency: 8,
          timeoutMs: 2_000,
          maxBytes: 1_048_576,
          maxRedirects: 5,
          userAgent: 'RolloutDiscoveryBot/test',
        },
      },
    });
    nc = service.runtime.nc;
  });
  afterAll(async () => {
    await service?.stop();
    await infra?.stop();
  });

  it('discovers, scans, creates news sources, enriches and seeds a community over real HTTP', async () => {
    const p1 = await runPhase(1);
    const withSites = p1.counters.businessesWithWebsites!;
    expect(p1.counters.businessesDiscovered).toBeGreaterThan(40);
    expect(withSites).toBeGreaterThan(10);

    await runPhase(2);
    const scans = await discoveryEvents<WebsiteScanned>(nc, 'WebsiteScanned', id);
    expect(scans).toHaveLength(withSites);
    const outcomes = new Set(scans.map((s) => s.outcome));
    // The simulated sites are drawn per community (a random id here): some answer, some do not,
    // and which failure (broken, robots-disallowed, slow) shows up varies.
    expect(outcomes.has('ok')).toBe(true);
    expect([...outcomes].some((o) => o !== 'ok')).toBe(true);
    const feedsFound = scans.filter((s) => s.outcome === 'ok').flatMap((s) => s.feedUrls);
    const goodFeeds = feedsFound.filter((u) => /\/sites\/(rss|atom)\//.test(u));

    const p3 = await runPhase(3);
    const sources = await discoveryEvents<NewsSourceCreated>(nc, 'NewsSourceCreated', id);
    expect(sources).toHaveLength(goodFeeds.length);
    expect(p3.counters).toEqual({
      newsSourcesCreated: goodFeeds.length,
      collectionMethodsCreated: goodFeeds.length,
    });
    expect(
      sources.every(
        (s) =>
          s.collectionMethod.type === 'rss' &&
          ['rss', 'atom'].includes(s.feedFormat) &&
          s.itemCount > 0,
      ),
    ).toBe(true);
    if (feedsFound.length > goodFeeds.length)
      expect(p3.warnings?.join(' ')).toMatch(/rejected: malformed XML/);

    const p4 = await runPhase(4);
    const details = (await discoveryEvents<ApiUsageRecorded>(nc, 'ApiUsageRecorded', id)).filter(
      (u) => u.endpoint === 'place_details',
    );
    expect(details).toHaveLength(withSites);
    expect(
      details.every((u) => u.skuTier === 'pro' && u.estimatedCost === '0.017' && u.phase === 4),
    ).toBe(true);
    expect(p4.counters.apiCallsMade).toBe(withSites);
    const enriched = await discoveryEvents<BusinessesEnriched>(nc, 'BusinessesEnriched', id);
    expect(enriched.flatMap((e) => e.businesses)).toHaveLength(withSites);

    const p6 = await runPhase(6);
    const listings = (
      await discoveryEvents<DirectoryListingSeeded>(nc, 'DirectoryListingSeeded', id)
    ).flatMap((e) => e.items);
    const leads = (await discoveryEvents<CrmLeadSeeded>(nc, 'CrmLeadSeeded', id)).flatMap(
      (e) => e.items,
    );
    expect(listings).toHaveLength(p1.counters.businessesDiscovered!);
    expect(p6.counters).toMatchObject({
      directoryListingsCreated: listings.length,
      crmLeadsCreated: leads.length,
    });
    expect(p6.counters.eventsVenuesCreated).toBeGreaterThan(0);
    expect(leads.every((l) => l.score >= 0 && l.score <= 100)).toBe(true);

    await service.runtime.waitForProjections(20_000);
    const [{ n }] = await service.runtime.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM businesses WHERE scan_outcome IS NOT NULL',
    );
    expect(Number(n)).toBe(withSites);
  }, 180_000);

  it('skips enrichment without a paid call when the rollout says skipEnrichment', async () => {
    const before = (await discoveryEvents<ApiUsageRecorded>(nc, 'ApiUsageRecorded', id)).length;
    const skipped = await runPhase(4, { attempt: 2, skipEnrichment: true });
    expect(skipped.counters).toEqual({ apiCallsMade: 0 });
    expect(skipped.warnings).toEqual(['enrichment skipped (skipEnrichment)']);
    expect(await discoveryEvents(nc, 'ApiUsageRecorded', id)).toHaveLength(before);
  });

  it('rebuilds its projections from the stream into the same rows', async () => {
    await service.runtime.waitForProjections(20_000);
    const tables = [
      ['businesses', 'place_id'],
      ['community_businesses', 'community_rollout_id, place_id'],
      ['news_sources', 'news_source_id'],
      ['collection_methods', 'collection_method_id'],
    ];
    const before = await Promise.all(tables.map(([t, o]) => tableHash(service.runtime.db, t, o)));
    await service.runtime.rebuild();
    const after = await Promise.all(tables.map(([t, o]) => tableHash(service.runtime.db, t, o)));
    expect(after).toEqual(before);
    expect(before[0].rows).toBeGreaterThan(0);
  });
});
