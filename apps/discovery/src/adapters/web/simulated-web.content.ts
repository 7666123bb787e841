import { seededRandom, pick } from '../places/simulated-catalog';

const GENERATORS = ['WordPress 6.5.2', 'Squarespace', 'Wix.com Website Builder', 'Drupal 10', ''];

const titleOf = (slug: string) =>
  slug
    .replace(/-[a-z0-9]{6}$/, '')
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sitePage(kind: string, slug: string): string {
  const name = escape(titleOf(slug));
  const generator = pick(seededRandom(slug), GENERATORS);
  const feedLink =
    kind === 'rss' || kind === 'bad-feed'
      ? '<link rel="alternate" type="application/rss+xml" title="News" href="feed.xml">'
      : kind === 'atom'
        ? '<link rel="alternate" type="application/atom+xml" title="News" href="atom.xml">'
        : '';
  const meta = generator ? `<meta name="generator" content="${generator}">` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${name} | Home</title>${meta}${feedLink}</head>
<body><h1>${name}</h1><p>Welcome to ${name}. Open daily, serving our community since ${1950 + (slug.length % 70)}.</p></body></html>`;
}

export function rssFeed(slug: string): string {
  const name = escape(titleOf(slug));
  const items = Array.from(
    { length: 5 },
    (_, i) =>
      `<item><title>${name} news ${i + 1}</title><link>https://example.invalid/${slug}/${i}</link><pubDate>Mon, 0${i + 1} Jun 2026 10:00:00 GMT</pubDate></item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${name} News</title><link>https://example.invalid/${slug}</link><description>Updates</description>${items}</channel></rss>`;
}

export function atomFeed(slug: string): string {
  const name = escape(titleOf(slug));
  const entries = Array.from(
    { length: 3 },
    (_, i) =>
      `<entry><title>${name} update ${i + 1}</title><id>urn:sim:${slug}:${i}</id><updated>2026-06-0${i + 1}T10:00:00Z</updated></entry>`,
  ).join('');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${name} Updates</title><id>urn:sim:${slug}</id><updated>2026-06-01T10:00:00Z</updated>${entries}</feed>`;
}

export const MALFORMED_FEED =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>oops</item></channel>';

export const ROBOTS_TXT = 'User-agent: *\nDisallow: /sites/robots/\n';
