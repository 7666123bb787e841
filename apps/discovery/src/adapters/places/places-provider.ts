import type {
  BusinessEnrichmentDto,
  DiscoveredBusinessDto,
  Endpoint,
  SkuTier,
} from '@rcp/contracts';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** One billable call as it was made: what the usage event records. */
export interface PlacesCall {
  endpoint: Endpoint;
  skuTier: SkuTier;
  responseCount: number;
}

export interface TextSearchRequest {
  textQuery: string;
  /** Category the results are filed under. */
  category: string;
  center: GeoPoint;
  radiusMeters: number;
  /** Pages of 20 to follow through `nextPageToken` (1–3). */
  maxPages: number;
  /** A catch-all query (not one category); the simulated provider mixes categories for it. */
  catchAll?: boolean;
}

export interface NearbySearchRequest {
  includedTypes: string[];
  category: string;
  center: GeoPoint;
  radiusMeters: number;
}

/** Called once per billable call, also when a later page fails. */
export type CallListener = (call: PlacesCall) => void;

/** A billable call about to be made; a rejection stops it (e.g. no quota left). */
export type CallGate = (call: Omit<PlacesCall, 'responseCount'>) => Promise<void>;

export interface PlacesRequestOptions {
  signal?: AbortSignal;
  onCall?: CallListener;
  /** Awaited before every billable call (each page, each retry series counts once). */
  beforeCall?: CallGate;
  /** Seeds the simulated provider (the community id); ignored by the real API. */
  seed?: string;
  /** The community, for the simulated provider (names, addresses, counts); ignored by the real API. */
  area?: { seed: string; town: string; stateCode: string; population: number };
}

/** Google Places (API New) as discovery uses it. */
export interface PlacesProvider {
  readonly name: string;
  searchText(
    request: TextSearchRequest,
    options?: PlacesRequestOptions,
  ): Promise<DiscoveredBusinessDto[]>;
  searchNearby(
    request: NearbySearchRequest,
    options?: PlacesRequestOptions,
  ): Promise<DiscoveredBusinessDto[]>;
  /** Pro-tier details of one place. */
  placeDetails(placeId: string, options?: PlacesRequestOptions): Promise<BusinessEnrichmentDto>;
}

/** A Places call that failed: `retryable` for 429/5xx/timeouts, not for other 4xx. */
export class PlacesApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PlacesApiError';
  }
}
