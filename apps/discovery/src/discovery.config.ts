import type { FetchLimits } from './adapters/web/http-fetcher';

/** Estimated USD per request by endpoint and SKU tier (the seeds' Essentials text search: 0.005). */
export const DEFAULT_PRICES: Record<string, string> = {
  'text_search:essentials': '0.005',
  'text_search:pro': '0.032',
  'text_search:enterprise': '0.035',
  'nearby_search:essentials': '0.005',
  'nearby_search:pro': '0.032',
  'nearby_search:enterprise': '0.035',
  'place_details:essentials': '0.005',
  'place_details:pro': '0.017',
  'place_details:enterprise': '0.020',
  'place_photos:enterprise': '0.007',
};

export const DEFAULT_DENSE_CATEGORIES = [
  'restaurant',
  'cafe',
  'store',
  'beauty_salon',
  'car_repair',
  'real_estate_agency',
];
export const DEFAULT_SPARSE_CATEGORIES = [
  'library',
  'museum',
  'park',
  'event_venue',
  'church',
  'dentist',
  'gym',
  'bar',
];
export const DEFAULT_TEXT_QUERIES = [
  'local business',
  'family owned shop',
  'community organization',
];

/**
 * Places quota on the quota service: `on` reserves before every paid call and fails the phase
 * when the service cannot be reached; `auto` does the same once the quota service has answered,
 * and runs unmetered while it never has (no quota service deployed); `off` never asks.
 */
export interface QuotaSettings {
  mode: 'on' | 'auto' | 'off';
  tenantId: string;
  /** Units reserved when a phase needs more than it planned for. */
  chunk: number;
  requestTimeoutMs: number;
}

export interface DiscoveryConfig {
  /** Phase jobs run at once by this replica. */
  concurrency: number;
  pollMs: number;
  /** A claimed job whose lease runs out (a crashed worker) is taken again. */
  leaseMs: number;
  /** Claims of one job before it is answered as failed (a job that keeps crashing its worker). */
  maxClaims: number;
  provider: 'simulated' | 'google';
  google: {
    apiKey: string;
    baseUrl: string;
    timeoutMs: number;
    maxRetries: number;
    retryBaseMs: number;
  };
  simulated: {
    latencyMs: number;
    errorRate: number;
    nearbyErrorRate?: number;
    webPort: number;
    slowMs: number;
  };
  quota: QuotaSettings;
  /** `off`: no flag evaluation and no outcome reports (every community takes the default path). */
  flags: 'on' | 'off';
  search: {
    dense: string[];
    sparse: string[];
    textQueries: string[];
    maxPages: number;
    radiusMeters: number;
    concurrency: number;
  };
  scan: FetchLimits & { concurrency: number };
  enrichConcurrency: number;
  prices: Record<string, string>;
}

const num = (value: string | undefined, fallback: number) =>
  value && Number.isFinite(Number(value)) ? Number(value) : fallback;
const list = (value: string | undefined, fallback: string[]) =>
  value === undefined
    ? fallback
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function quotaMode(value: string | undefined): QuotaSettings['mode'] {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'on' || value === 'off') return value;
  throw new Error(`DISCOVERY_QUOTA must be on, off or auto (got "${value}")`);
}

/** Discovery's settings from the environment (see apps/discovery/README.md). */
export function loadDiscoveryConfig(env: NodeJS.ProcessEnv = process.env): DiscoveryConfig {
  return {
    concurrency: Math.max(1, num(env.DISCOVERY_CONCURRENCY, 4)),
    pollMs: num(env.DISCOVERY_POLL_MS, 200),
    leaseMs: num(env.DISCOVERY_LEASE_MS, 60_000),
    maxClaims: num(env.DISCOVERY_MAX_CLAIMS, 3),
    provider: env.PLACES_PROVIDER === 'google' ? 'google' : 'simulated',
    google: {
      apiKey: env.GOOGLE_PLACES_API_KEY ?? '',
      baseUrl: env.GOOGLE_PLACES_BASE_URL || 'https://places.googleapis.com',
      timeoutMs: num(env.GOOGLE_PLACES_TIMEOUT_MS, 10_000),
      maxRetries: num(env.GOOGLE_PLACES_MAX_RETRIES, 3),
      retryBaseMs: num(env.GOOGLE_PLACES_RETRY_BASE_MS, 500),
    },
    simulated: {
      latencyMs: num(env.SIM_PLACES_LATENCY_MS, 0),
      errorRate: num(env.SIM_PLACES_ERROR_RATE, 0),
      nearbyErrorRate: num(env.SIM_PLACES_NEARBY_ERROR_RATE, 0),
      webPort: num(env.SIM_WEB_PORT, 0),
      slowMs: num(env.SIM_WEB_SLOW_MS, 1_500),
    },
    search: {
      dense: list(env.DISCOVERY_DENSE_CATEGORIES, DEFAULT_DENSE_CATEGORIES),
      sparse: list(env.DISCOVERY_SPARSE_CATEGORIES, DEFAULT_SPARSE_CATEGORIES),
      textQueries: list(env.DISCOVERY_TEXT_QUERIES, DEFAULT_TEXT_QUERIES),
      maxPages: Math.min(3, Math.max(1, num(env.DISCOVERY_MAX_PAGES, 3))),
      radiusMeters: num(env.DISCOVERY_RADIUS_METERS, 8_000),
      concurrency: Math.max(1, num(env.DISCOVERY_SEARCH_CONCURRENCY, 4)),
    },
    scan: {
      concurrency: Math.max(1, num(env.SCAN_CONCURRENCY, 8)),
      timeoutMs: num(env.SCAN_TIMEOUT_MS, 5_000),
      maxBytes: num(env.SCAN_MAX_BYTES, 1_048_576),
      maxRedirects: num(env.SCAN_MAX_REDIRECTS, 5),
      userAgent: env.SCAN_USER_AGENT || 'RolloutDiscoveryBot/0.1 (+https://example.invalid/bot)',
    },
    enrichConcurrency: Math.max(1, num(env.ENRICH_CONCURRENCY, 4)),
    quota: {
      mode: quotaMode(env.DISCOVERY_QUOTA),
      tenantId: env.DISCOVERY_QUOTA_TENANT || 'platform',
      chunk: Math.max(1, num(env.DISCOVERY_QUOTA_CHUNK, 20)),
      requestTimeoutMs: Math.max(100, num(env.DISCOVERY_QUOTA_TIMEOUT_MS, 5_000)),
    },
    flags: env.DISCOVERY_FLAGS === 'off' ? 'off' : 'on',
    prices: DEFAULT_PRICES,
  };
}
