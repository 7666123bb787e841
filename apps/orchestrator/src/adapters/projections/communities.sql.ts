import type { RegistryEvent } from '../../domain/registry/registry';
import type { SqlChange } from './rollout-tables.projection';

/** Upserts the `communities` rows of a registry event; undefined for other events. */
export function projectRegistryEvent(event: {
  type: string;
  data: unknown;
}): SqlChange[] | undefined {
  const e = event as RegistryEvent;
  if (e.type !== 'CommunitiesImported') return undefined;
  const rows = e.data.communities;
  return [
    {
      sql: `INSERT INTO communities (id, name, state_code, county, latitude, longitude, population, source, external_id, imported_at)
          SELECT id, name, $7, county, lat, lng, pop, $8, ext, $9
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[], $10::text[]) AS t(id, name, county, lat, lng, pop, ext)
          ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, county = EXCLUDED.county, latitude = EXCLUDED.latitude,
            longitude = EXCLUDED.longitude, population = EXCLUDED.population, imported_at = EXCLUDED.imported_at`,
      params: [
        rows.map((r) => r.communityId),
        rows.map((r) => r.name),
        rows.map((r) => r.county ?? null),
        rows.map((r) => r.latitude ?? null),
        rows.map((r) => r.longitude ?? null),
        rows.map((r) => r.population ?? null),
        e.data.stateCode,
        e.data.source,
        e.data.importedAt,
        rows.map((r) => r.externalId ?? null),
      ],
    },
  ];
}
