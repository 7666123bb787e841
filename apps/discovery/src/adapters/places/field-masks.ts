import type { SkuTier } from '@rcp/contracts';

/**
 * SKU tier of each field discovery asks for, following the price book of the seeds (search with
 * the Essentials mask at 0.005 a request, details with the Pro mask). A request is billed at the
 * highest tier of its mask.
 */
const FIELD_TIERS: Record<string, SkuTier> = {
  id: 'essentials',
  displayName: 'essentials',
  formattedAddress: 'essentials',
  location: 'essentials',
  types: 'essentials',
  primaryType: 'essentials',
  websiteUri: 'essentials',
  nationalPhoneNumber: 'pro',
  regularOpeningHours: 'pro',
  businessStatus: 'pro',
  rating: 'pro',
  userRatingCount: 'pro',
  googleMapsUri: 'pro',
  editorialSummary: 'enterprise',
  reviews: 'enterprise',
};

const ORDER: readonly SkuTier[] = ['essentials', 'pro', 'enterprise'];

const ESSENTIALS_FIELDS = [
  'id',
  'displayName',
  'formattedAddress',
  'location',
  'types',
  'primaryType',
  'websiteUri',
];
const PRO_FIELDS = [
  ...ESSENTIALS_FIELDS,
  'nationalPhoneNumber',
  'regularOpeningHours',
  'businessStatus',
  'rating',
  'userRatingCount',
  'googleMapsUri',
];

/** Field mask of a search (`places.` prefixed, plus the page token). */
export const SEARCH_FIELD_MASK = [
  ...ESSENTIALS_FIELDS.map((f) => `places.${f}`),
  'nextPageToken',
].join(',');

/** Field mask of place details for enrichment. */
export const DETAILS_FIELD_MASK = PRO_FIELDS.join(',');

/** The highest SKU tier of a field mask; unknown fields count as enterprise. */
export function skuTierOf(mask: string): SkuTier {
  let highest = 0;
  for (const raw of mask.split(',')) {
    const field = raw.trim().replace(/^places\./, '');
    if (!field || field === 'nextPageToken') continue;
    highest = Math.max(highest, ORDER.indexOf(FIELD_TIERS[field] ?? 'enterprise'));
  }
  return ORDER[highest];
}
