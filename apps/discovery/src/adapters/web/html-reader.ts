import { Parser } from 'htmlparser2';

export interface PageFacts {
  title?: string;
  /** Absolute URLs of linked RSS/Atom feeds. */
  feedUrls: string[];
  cmsHints: string[];
}

const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json'];
const CMS = [
  'wordpress',
  'squarespace',
  'wix',
  'drupal',
  'joomla',
  'shopify',
  'ghost',
  'weebly',
  'hubspot',
];

function cmsFrom(text: string): string[] {
  const lower = text.toLowerCase();
  const hints = CMS.filter((name) => lower.includes(name));
  if (lower.includes('wp-content') || lower.includes('wp-includes')) hints.push('wordpress');
  return hints;
}

function absolute(href: string, base: string): string | null {
  try {
    const url = new URL(href, base);
    return /^https?:$/.test(url.protocol) ? url.toString() : null;
  } catch {
    return null;
  }
}

/** Reads a page's title, its feed links and hints of the CMS that made it. */
export function readHtml(html: string, baseUrl: string): PageFacts {
  let title = '';
  let inTitle = false;
  const feeds = new Set<string>();
  const hints = new Set<string>();
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title') inTitle = true;
        const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
        if (
          name === 'link' &&
          rel.includes('alternate') &&
          FEED_TYPES.includes((attrs.type ?? '').toLowerCase()) &&
          attrs.href
        ) {
          const url = absolute(attrs.href, baseUrl);
          if (url) feeds.add(url);
        }
        if (name === 'meta' && (attrs.name ?? '').toLowerCase() === 'generator')
          cmsFrom(attrs.content ?? '').forEach((h) => hints.add(h));
        if ((name === 'script' || name === 'link') && (attrs.src || attrs.href))
          cmsFrom(attrs.src ?? attrs.href ?? '').forEach((h) => hints.add(h));
      },
      ontext(text) {
        if (inTitle && title.length < 1000) title += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const clean = title.replace(/\s+/g, ' ').trim().slice(0, 1000);
  return {
    title: clean || undefined,
    feedUrls: [...feeds].slice(0, 50),
    cmsHints: [...hints].slice(0, 20),
  };
}
