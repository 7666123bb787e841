import { parseFeed } from '../src/adapters/web/feed-parser';
import { fetchLimited } from '../src/adapters/web/http-fetcher';
import { WebsiteScanner } from '../src/adapters/web/website-scanner';
import { ATOM, MALFORMED, RSS, startTestSites } from './fixtures/test-sites.server';

const limits = {
  timeoutMs: 400,
  maxBytes: 1_048_576,
  maxRedirects: 5,
  userAgent: 'RolloutDiscoveryBot/test',
};

describe('website scanning against local sites', () => {
  let sites: Awaited<ReturnType<typeof startTestSites>>;
  let scanner: WebsiteScanner;

  beforeAll(async () => {
    sites = await startTestSites();
    scanner = new WebsiteScanner(limits);
  });
  afterAll(() => sites.stop());

  it('reads the title, absolute feed links and CMS hints of a page, following a redirect', async () => {
    const result = await scanner.scan(`${sites.url}/hop`);
    expect(result).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      finalUrl: `${sites.url}/ok`,
      title: 'Main Street Bakery',
      cmsHints: ['wordpress'],
    });
    expect(result.feedUrls).toEqual([`${sites.url}/feed.xml`, 'https://other.example/atom.xml']);
  });

  it('gives up on a page slower than the per-request timeout', async () => {
    const started = Date.now();
    const result = await scanner.scan(`${sites.url}/slow`);
    expect(result).toMatchObject({ outcome: 'timeout', error: expect.stringMatching(/400 ms/) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops a redirect loop', async () => {
    expect(await scanner.scan(`${sites.url}/loop-a`)).toMatchObject({
      outcome: 'redirect_loop',
      httpStatus: 302,
    });
    const capped = await fetchLimited(`${sites.url}/loop-a`, { ...limits, maxRedirects: 0 });
    expect(capped).toMatchObject({ ok: false, outcome: 'redirect_loop' });
  });

  it('stops reading a 5 MB page at the byte cap', async () => {
    const result = await scanner.scan(`${sites.url}/big`);
    expect(result.outcome).toBe('too_large');
    expect(result.bytes).toBeGreaterThan(limits.maxBytes);
    expect(result.bytes).toBeLessThan(limits.maxBytes + 128 * 1024);
  });

  it('respects a robots.txt disallow and never fetches the page', async () => {
    expect(await scanner.scan(`${sites.url}/private/page`)).toMatchObject({
      outcome: 'robots_disallowed',
    });
    expect(await scanner.allowed(`${sites.url}/ok`)).toBe(true);
  });

  it('reports an HTTP error, a refused connection and a non-http URL', async () => {
    expect(await scanner.scan(`${sites.url}/missing`)).toMatchObject({
      outcome: 'http_error',
      httpStatus: 404,
    });
    expect(await scanner.scan('http://127.0.0.1:1/')).toMatchObject({ outcome: 'network_error' });
    expect(await scanner.scan('ftp://example.com/')).toMatchObject({ outcome: 'invalid_url' });
  });

  it('accepts RSS 2.0 and Atom feeds and rejects a malformed one', () => {
    expect(parseFeed(RSS)).toEqual({ ok: true, format: 'rss', title: 'Town News', itemCount: 2 });
    expect(parseFeed(ATOM)).toEqual({
      ok: true,
      format: 'atom',
      title: 'Club Updates',
      itemCount: 1,
    });
    expect(parseFeed(MALFORMED)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/malformed XML/),
    });
    expect(parseFeed('<html><body>not a feed</body></html>')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/neither/),
    });
  });
});
