import type { CommunityPhaseRequested, NewsSourceCreated } from '@rcp/contracts';
import type { BusinessRecord } from '../../domain/business/business';
import { parseFeed } from '../web/feed-parser';
import { fetchLimited } from '../web/http-fetcher';
import { WebsiteScanner } from '../web/website-scanner';
import { mapLimit, refOf, uuidFrom, type PhaseDeps, type PhaseWork } from './phase-work';

interface FeedCandidate {
  feedUrl: string;
  business: BusinessRecord;
}

function candidates(businesses: BusinessRecord[]): FeedCandidate[] {
  const byUrl = new Map<string, FeedCandidate>();
  for (const business of businesses)
    if (business.scan?.outcome === 'ok')
      for (const feedUrl of business.scan.feedUrls)
        if (!byUrl.has(feedUrl)) byUrl.set(feedUrl, { feedUrl, business });
  return [...byUrl.values()];
}

/** Phase 3: every feed the scans found is fetched and parsed; valid ones become news sources. */
export async function runNewsSourcesPhase(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
  signal: AbortSignal,
): Promise<PhaseWork> {
  const scanner = new WebsiteScanner(deps.config.scan);
  const ref = refOf(job);
  const warnings: string[] = [];
  const found = await mapLimit(
    candidates(await deps.loadBusinesses(job.communityRolloutId)),
    deps.config.scan.concurrency,
    async ({ feedUrl, business }) => {
      if (!(await scanner.allowed(feedUrl, signal)))
        return void warnings.push(`feed ${feedUrl}: robots.txt disallows it`);
      const fetched = await fetchLimited(feedUrl, deps.config.scan, signal);
      if (!fetched.ok)
        return void warnings.push(`feed ${feedUrl}: ${fetched.outcome} (${fetched.error})`);
      const feed = parseFeed(fetched.body);
      if (!feed.ok) return void warnings.push(`feed ${feedUrl} rejected: ${feed.error}`);
      const newsSourceId = uuidFrom(`news-source:${job.communityId}:${feedUrl}`);
      const source: NewsSourceCreated = {
        ...ref,
        newsSourceId,
        placeId: business.placeId,
        name: (feed.title ?? business.name).slice(0, 500),
        feedUrl: feedUrl.slice(0, 2000),
        siteUrl: business.scan?.finalUrl ?? business.website,
        feedFormat: feed.format,
        itemCount: feed.itemCount,
        collectionMethod: {
          collectionMethodId: uuidFrom(`collection-method:${newsSourceId}:rss`),
          type: 'rss',
          url: feedUrl.slice(0, 2000),
          intervalMinutes: 60,
        },
        createdAt: deps.clock().toISOString(),
      };
      return source;
    },
  );
  const newsSources = found.filter((s): s is NewsSourceCreated => s !== undefined);
  return {
    outcome: {
      type: 'complete',
      counters: {
        newsSourcesCreated: newsSources.length,
        collectionMethodsCreated: newsSources.length,
      },
      warnings,
    },
    businessEvents: [],
    seedingEvents: [],
    newsSources,
    usage: [],
  };
}
