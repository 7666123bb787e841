/** External APIs whose calls are metered and priced (seed 000 `rollout_api_usage.api_name`). */
export const API_NAMES = [
  'google_places',
  'serpapi',
  'scrapingbee',
  'openrouter',
  'unsplash',
] as const;
export type ApiName = (typeof API_NAMES)[number];

/** Endpoints of a metered call (seed 000 `rollout_api_usage.endpoint`). */
export const ENDPOINTS = ['text_search', 'nearby_search', 'place_details', 'place_photos'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** Google Places SKU tiers; a request is billed at the highest SKU of its field mask. */
export const SKU_TIERS = ['essentials', 'pro', 'enterprise'] as const;
export type SkuTier = (typeof SKU_TIERS)[number];
