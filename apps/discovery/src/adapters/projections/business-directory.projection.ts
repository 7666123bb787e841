import type {
  BusinessesDiscovered,
  BusinessesEnriched,
  EventEnvelope,
  NewsSourceCreated,
  WebsiteScanned,
} from '@rcp/contracts';
import type { Projection } from '@rcp/eventing';
import type { Tx } from '@rcp/persistence';

async function discovered(e: BusinessesDiscovered, tx: Tx, at: string): Promise<void> {
  const b = e.businesses;
  await tx.query(
    `INSERT INTO businesses (place_id, name, category, primary_type, types, address, latitude, longitude, website, phone, rating, user_rating_count, discovered_at, updated_at)
     SELECT p.place_id, p.name, p.category, p.primary_type, ARRAY(SELECT jsonb_array_elements_text(p.types)), p.address, p.latitude, p.longitude, p.website, p.phone, p.rating, p.user_rating_count, $2::timestamptz, $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS p(place_id text, name text, category text, primary_type text, types jsonb, address text, latitude float8, longitude float8, website text, phone text, rating numeric, user_rating_count int)
     ON CONFLICT (place_id) DO UPDATE SET name = EXCLUDED.name, primary_type = EXCLUDED.primary_type, types = EXCLUDED.types, address = EXCLUDED.address,
       latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, website = EXCLUDED.website, phone = COALESCE(EXCLUDED.phone, businesses.phone),
       rating = EXCLUDED.rating, user_rating_count = EXCLUDED.user_rating_count, updated_at = EXCLUDED.updated_at
     WHERE businesses.updated_at <= EXCLUDED.updated_at`,
    [
      JSON.stringify(
        b.map((x) => ({
          place_id: x.placeId,
          name: x.name,
          category: x.category,
          primary_type: x.primaryType ?? null,
          types: x.types ?? [],
          address: x.address ?? null,
          latitude: x.latitude,
          longitude: x.longitude,
          website: x.website ?? null,
          phone: x.phone ?? null,
          rating: x.rating ?? null,
          user_rating_count: x.userRatingCount ?? null,
        })),
      ),
      at,
    ],
  );
  await tx.query(
    `INSERT INTO community_businesses (community_rollout_id, place_id, community_id, state_code, category, discovered_at)
     SELECT $1, p.place_id, $2, $3, p.category, $5 FROM jsonb_to_recordset($4::jsonb) AS p(place_id text, category text)
     ON CONFLICT (community_rollout_id, place_id) DO NOTHING`,
    [
      e.communityRolloutId,
      e.communityId ?? null,
      e.stateCode,
      JSON.stringify(b.map((x) => ({ place_id: x.placeId, category: x.category }))),
      at,
    ],
  );
}

async function scanned(e: WebsiteScanned, tx: Tx): Promise<void> {
  await tx.query(
    `UPDATE businesses SET scan_outcome = $2, scan_http_status = $3, final_url = $4, title = $5, feed_urls = $6, cms_hints = $7, scanned_at = $8
      WHERE place_id = $1 AND (scanned_at IS NULL OR scanned_at <= $8)`,
    [
      e.placeId,
      e.outcome,
      e.httpStatus ?? null,
      e.finalUrl ?? null,
      e.title ?? null,
      e.feedUrls,
      e.cmsHints,
      e.scannedAt,
    ],
  );
}

async function enriched(e: BusinessesEnriched, tx: Tx): Promise<void> {
  await tx.query(
    `UPDATE businesses b SET phone = COALESCE(p.phone, b.phone), business_status = p.business_status, opening_hours = p.opening_hours, enriched_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS p(place_id text, phone text, business_status text, opening_hours jsonb)
      WHERE b.place_id = p.place_id AND (b.enriched_at IS NULL OR b.enriched_at <= $2)`,
    [
      JSON.stringify(
        e.businesses.map((x) => ({
          place_id: x.placeId,
          phone: x.phone ?? null,
          business_status: x.businessStatus ?? null,
          opening_hours: x.openingHours ?? null,
        })),
      ),
      e.enrichedAt,
    ],
  );
}

async function newsSource(e: NewsSourceCreated, tx: Tx): Promise<void> {
  await tx.query(
    `INSERT INTO news_sources (news_source_id, community_rollout_id, community_id, place_id, name, feed_url, site_url, feed_format, item_count, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (news_source_id) DO UPDATE SET name = EXCLUDED.name, item_count = EXCLUDED.item_count WHERE news_sources.created_at <= EXCLUDED.created_at`,
    [
      e.newsSourceId,
      e.communityRolloutId,
      e.communityId ?? null,
      e.placeId ?? null,
      e.name,
      e.feedUrl,
      e.siteUrl ?? null,
      e.feedFormat,
      e.itemCount,
      e.createdAt,
    ],
  );
  const m = e.collectionMethod;
  await tx.query(
    `INSERT INTO collection_methods (collection_method_id, news_source_id, type, url, interval_minutes) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (collection_method_id) DO NOTHING`,
    [m.collectionMethodId, e.newsSourceId, m.type, m.url, m.intervalMinutes ?? null],
  );
}

/** Discovery's read model: businesses (by place id), their communities, news sources. */
export const businessDirectoryProjection: Projection = {
  name: 'business-directory',
  filterSubject: 'events.discovery.>',
  eventTypes: ['BusinessesDiscovered', 'WebsiteScanned', 'BusinessesEnriched', 'NewsSourceCreated'],
  tables: ['businesses', 'community_businesses', 'news_sources', 'collection_methods'],
  async apply(event: EventEnvelope, tx: Tx) {
    switch (event.type) {
      case 'BusinessesDiscovered':
        return discovered(event.data as BusinessesDiscovered, tx, event.occurredAt);
      case 'WebsiteScanned':
        return scanned(event.data as WebsiteScanned, tx);
      case 'BusinessesEnriched':
        return enriched(event.data as BusinessesEnriched, tx);
      case 'NewsSourceCreated':
        return newsSource(event.data as NewsSourceCreated, tx);
    }
  },
};
