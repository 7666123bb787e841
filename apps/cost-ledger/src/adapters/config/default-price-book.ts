import { readFileSync } from 'node:fs';
import type { PriceEntryDto } from '@rcp/contracts';

/** Version 1 takes effect from this date, so every real usage has a price. */
export const DEFAULT_EFFECTIVE_FROM = '2000-01-01T00:00:00.000Z';

const places = (
  endpoint: PriceEntryDto['endpoint'],
  essentials: string,
  pro: string,
  enterprise: string,
) =>
  [
    { apiName: 'google_places', endpoint, skuTier: 'essentials', unitCost: essentials },
    { apiName: 'google_places', endpoint, skuTier: 'pro', unitCost: pro },
    { apiName: 'google_places', endpoint, skuTier: 'enterprise', unitCost: enterprise },
  ] as PriceEntryDto[];

const flat = (apiName: PriceEntryDto['apiName'], unitCost: string): PriceEntryDto[] =>
  (['text_search', 'nearby_search', 'place_details', 'place_photos'] as const).flatMap((endpoint) =>
    (['essentials', 'pro', 'enterprise'] as const).map((skuTier) => ({
      apiName,
      endpoint,
      skuTier,
      unitCost,
    })),
  );

/**
 * The built-in book: the seeds' 0.005 per Essentials search request; Pro and Enterprise at Google
 * Places (New) list prices per request; flat prices for the other APIs. Override with
 * LEDGER_PRICE_BOOK_FILE (a JSON array of price entries).
 */
export const BUILT_IN_PRICES: PriceEntryDto[] = [
  ...places('text_search', '0.005', '0.032', '0.035'),
  ...places('nearby_search', '0.005', '0.032', '0.035'),
  ...places('place_details', '0.005', '0.017', '0.020'),
  ...places('place_photos', '0.007', '0.007', '0.007'),
  ...flat('serpapi', '0.015'),
  ...flat('scrapingbee', '0.0004'),
  ...flat('openrouter', '0.002'),
  ...flat('unsplash', '0'),
];

export function defaultPrices(env: NodeJS.ProcessEnv = process.env): PriceEntryDto[] {
  const file = env.LEDGER_PRICE_BOOK_FILE;
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as PriceEntryDto[]) : BUILT_IN_PRICES;
}
