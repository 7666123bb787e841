import {
  ListBusinessesQuery,
  type BusinessView,
  type ListBusinesses,
  type ListBusinessesReply,
} from '@rcp/contracts';
import type { Queryable } from '@rcp/persistence';

interface Row {
  place_id: string;
  name: string;
  category: string;
  primary_type: string | null;
  address: string | null;
  latitude: number;
  longitude: number;
  website: string | null;
  phone: string | null;
  scan_outcome: string | null;
  feed_urls: string[];
  enriched: boolean;
  total: string;
}

const toView = (r: Row): BusinessView => ({
  placeId: r.place_id,
  name: r.name,
  category: r.category,
  primaryType: r.primary_type,
  address: r.address,
  latitude: r.latitude,
  longitude: r.longitude,
  website: r.website,
  phone: r.phone,
  scanOutcome: r.scan_outcome,
  feedUrls: r.feed_urls,
  enriched: r.enriched,
});

/** `qry.discovery.ListBusinesses`: a community's businesses, by rollout or by community. */
export async function listBusinesses(
  db: Queryable,
  q: ListBusinesses,
): Promise<ListBusinessesReply> {
  const rows = await db.query<Row>(
    `SELECT b.place_id, b.name, cb.category, b.primary_type, b.address, b.latitude, b.longitude, b.website, b.phone,
            b.scan_outcome, b.feed_urls, b.enriched_at IS NOT NULL AS enriched, count(*) OVER () AS total
       FROM community_businesses cb JOIN businesses b USING (place_id)
      WHERE ($1::uuid IS NULL OR cb.community_rollout_id = $1) AND ($2::uuid IS NULL OR cb.community_id = $2)
      ORDER BY b.name, b.place_id LIMIT $3 OFFSET $4`,
    [q.communityRolloutId ?? null, q.communityId ?? null, q.limit ?? 100, q.offset ?? 0],
  );
  return { items: rows.map(toView), total: Number(rows[0]?.total ?? 0) };
}

export { ListBusinessesQuery };
