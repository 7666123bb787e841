import robotsParser from 'robots-parser';
import type { ScanOutcome } from '@rcp/contracts';
import { fetchLimited, type FetchLimits } from './http-fetcher';
import { readHtml } from './html-reader';

export interface ScanResult {
  url: string;
  outcome: ScanOutcome;
  finalUrl?: string;
  httpStatus?: number;
  title?: string;
  feedUrls: string[];
  cmsHints: string[];
  bytes?: number;
  durationMs: number;
  error?: string;
}

type Robots = ReturnType<typeof robotsParser>;

const ROBOTS_MAX_BYTES = 512 * 1024;

/**
 * Scans websites politely: robots.txt first (once per origin), then the page under the fetch
 * limits; reads title, feed links and CMS hints.
 */
export class WebsiteScanner {
  private readonly robots = new Map<string, Promise<Robots | null>>();

  constructor(private readonly limits: FetchLimits) {}

  /** Whether robots.txt of the URL's origin lets our user agent fetch it (missing or unreadable: yes). */
  async allowed(url: string, signal?: AbortSignal): Promise<boolean> {
    const origin = new URL(url).origin;
    let robots = this.robots.get(origin);
    if (!robots) {
      robots = this.loadRobots(origin, signal);
      this.robots.set(origin, robots);
    }
    const parsed = await robots;
    return parsed?.isAllowed(url, this.limits.userAgent) ?? true;
  }

  async scan(url: string, signal?: AbortSignal): Promise<ScanResult> {
    const started = Date.now();
    const done = (
      r: Omit<ScanResult, 'url' | 'durationMs' | 'feedUrls' | 'cmsHints'> & Partial<ScanResult>,
    ): ScanResult => ({
      url,
      feedUrls: [],
      cmsHints: [],
      ...r,
      durationMs: Date.now() - started,
    });
    if (!isHttpUrl(url))
      return done({ outcome: 'invalid_url', error: 'not an absolute http(s) URL' });
    if (!(await this.allowed(url, signal)))
      return done({ outcome: 'robots_disallowed', error: 'robots.txt disallows this page' });
    const page = await fetchLimited(url, this.limits, signal);
    if (!page.ok)
      return done({
        outcome: page.outcome,
        error: page.error,
        httpStatus: page.status,
        finalUrl: page.finalUrl,
        bytes: page.bytes,
      });
    const facts = readHtml(page.body, page.finalUrl);
    return done({
      outcome: 'ok',
      httpStatus: page.status,
      finalUrl: page.finalUrl,
      bytes: page.bytes,
      ...facts,
    });
  }

  private async loadRobots(origin: string, signal?: AbortSignal): Promise<Robots | null> {
    const url = `${origin}/robots.txt`;
    const result = await fetchLimited(url, { ...this.limits, maxBytes: ROBOTS_MAX_BYTES }, signal);
    return result.ok ? robotsParser(url, result.body) : null;
  }
}

function isHttpUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
