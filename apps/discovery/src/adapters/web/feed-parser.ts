import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FeedFormat } from '@rcp/contracts';

export type ParsedFeed =
  | { ok: true; format: FeedFormat; title?: string; itemCount: number }
  | { ok: false; error: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: true,
  htmlEntities: true,
});

const asArray = (value: unknown): unknown[] =>
  value == null ? [] : Array.isArray(value) ? value : [value];

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number')
    return String(value).trim() || undefined;
  if (value && typeof value === 'object' && '#text' in value)
    return textOf((value as { '#text': unknown })['#text']);
  return undefined;
}

/** Accepts well-formed RSS 2.0 (`<rss><channel>`) and Atom (`<feed>`); rejects anything else. */
export function parseFeed(xml: string): ParsedFeed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    return { ok: false, error: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const doc = parser.parse(xml) as Record<string, unknown>;
  const rss = doc.rss as { channel?: Record<string, unknown> } | undefined;
  if (rss && typeof rss === 'object' && rss.channel && typeof rss.channel === 'object')
    return {
      ok: true,
      format: 'rss',
      title: textOf(rss.channel.title),
      itemCount: asArray(rss.channel.item).length,
    };
  const feed = doc.feed as Record<string, unknown> | undefined;
  if (feed && typeof feed === 'object')
    return {
      ok: true,
      format: 'atom',
      title: textOf(feed.title),
      itemCount: asArray(feed.entry).length,
    };
  return { ok: false, error: 'neither an RSS 2.0 <rss><channel> nor an Atom <feed> document' };
}
