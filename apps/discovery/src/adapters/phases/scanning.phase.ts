import type { CommunityPhaseRequested, WebsiteScanned } from '@rcp/contracts';
import { WebsiteScanner } from '../web/website-scanner';
import { mapLimit, refOf, type PhaseDeps, type PhaseWork } from './phase-work';

function failureSummary(scans: WebsiteScanned[]): string[] {
  const failed = scans.filter((s) => s.outcome !== 'ok');
  if (failed.length === 0) return [];
  const byOutcome = new Map<string, number>();
  for (const s of failed) byOutcome.set(s.outcome, (byOutcome.get(s.outcome) ?? 0) + 1);
  const parts = [...byOutcome].map(([outcome, n]) => `${outcome} ${n}`).join(', ');
  return [`${failed.length} of ${scans.length} websites could not be read (${parts})`];
}

/** Phase 2: every business website fetched over HTTP, politely, under the scan limits. */
export async function runScanningPhase(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
  signal: AbortSignal,
): Promise<PhaseWork> {
  const withSites = (await deps.loadBusinesses(job.communityRolloutId)).filter((b) => b.website);
  const scanner = new WebsiteScanner(deps.config.scan);
  const ref = refOf(job);
  const scans = await mapLimit(
    withSites,
    deps.config.scan.concurrency,
    async (b): Promise<WebsiteScanned> => {
      const r = await scanner.scan(b.website!, signal);
      return {
        ...ref,
        placeId: b.placeId,
        url: b.website!.slice(0, 2000),
        finalUrl: r.finalUrl?.slice(0, 2000),
        outcome: r.outcome,
        httpStatus: r.httpStatus,
        title: r.title,
        feedUrls: r.feedUrls,
        cmsHints: r.cmsHints,
        bytes: r.bytes,
        durationMs: r.durationMs,
        error: r.error?.slice(0, 1000),
        scannedAt: deps.clock().toISOString(),
      };
    },
  );
  return {
    outcome: { type: 'complete', counters: {}, warnings: failureSummary(scans) },
    businessEvents: scans.map((data) => ({ type: 'WebsiteScanned', data })),
    seedingEvents: [],
    newsSources: [],
    usage: [],
  };
}
