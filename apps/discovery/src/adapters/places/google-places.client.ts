import { setTimeout as delay } from 'node:timers/promises';
import type { BusinessEnrichmentDto, DiscoveredBusinessDto } from '@rcp/contracts';
import { DETAILS_FIELD_MASK, SEARCH_FIELD_MASK, skuTierOf } from './field-masks';
import { toDiscoveredBusiness, toEnrichment, type GooglePlace } from './google-places.mapper';
import {
  PlacesApiError,
  type NearbySearchRequest,
  type PlacesProvider,
  type PlacesRequestOptions,
  type TextSearchRequest,
} from './places-provider';

export interface GooglePlacesOptions {
  apiKey: string;
  /** `https://places.googleapis.com` in production; a local fake in tests. */
  baseUrl: string;
  timeoutMs: number;
  /** Retries after the first try on 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  retryBaseMs: number;
}

const PAGE_SIZE = 20;

/** Places API (New) over HTTP: text search with pages, nearby search, place details. */
export class GooglePlacesClient implements PlacesProvider {
  readonly name = 'google';

  constructor(private readonly options: GooglePlacesOptions) {}

  async searchText(
    request: TextSearchRequest,
    options: PlacesRequestOptions = {},
  ): Promise<DiscoveredBusinessDto[]> {
    const found: DiscoveredBusinessDto[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < Math.min(3, Math.max(1, request.maxPages)); page++) {
      const body = {
        textQuery: request.textQuery,
        pageSize: PAGE_SIZE,
        locationBias: { circle: { center: request.center, radius: request.radiusMeters } },
        ...(pageToken ? { pageToken } : {}),
      };
      await options.beforeCall?.({
        endpoint: 'text_search',
        skuTier: skuTierOf(SEARCH_FIELD_MASK),
      });
      const reply = await this.call<{ places?: GooglePlace[]; nextPageToken?: string }>(
        'POST',
        '/v1/places:searchText',
        SEARCH_FIELD_MASK,
        body,
        options.signal,
      );
      const places = reply.places ?? [];
      options.onCall?.({
        endpoint: 'text_search',
        skuTier: skuTierOf(SEARCH_FIELD_MASK),
        responseCount: places.length,
      });
      found.push(...mapPlaces(places, request.category));
      pageToken = reply.nextPageToken;
      if (!pageToken) break;
    }
    return found;
  }

  async searchNearby(
    request: NearbySearchRequest,
    options: PlacesRequestOptions = {},
  ): Promise<DiscoveredBusinessDto[]> {
    const body = {
      includedTypes: request.includedTypes,
      maxResultCount: PAGE_SIZE,
      locationRestriction: { circle: { center: request.center, radius: request.radiusMeters } },
    };
    await options.beforeCall?.({
      endpoint: 'nearby_search',
      skuTier: skuTierOf(SEARCH_FIELD_MASK),
    });
    const reply = await this.call<{ places?: GooglePlace[] }>(
      'POST',
      '/v1/places:searchNearby',
      SEARCH_FIELD_MASK,
      body,
      options.signal,
    );
    const places = reply.places ?? [];
    options.onCall?.({
      endpoint: 'nearby_search',
      skuTier: skuTierOf(SEARCH_FIELD_MASK),
      responseCount: places.length,
    });
    return mapPlaces(places, request.category);
  }

  async placeDetails(
    placeId: string,
    options: PlacesRequestOptions = {},
  ): Promise<BusinessEnrichmentDto> {
    await options.beforeCall?.({
      endpoint: 'place_details',
      skuTier: skuTierOf(DETAILS_FIELD_MASK),
    });
    const place = await this.call<GooglePlace>(
      'GET',
      `/v1/places/${encodeURIComponent(placeId)}`,
      DETAILS_FIELD_MASK,
      undefined,
      options.signal,
    );
    options.onCall?.({
      endpoint: 'place_details',
      skuTier: skuTierOf(DETAILS_FIELD_MASK),
      responseCount: 1,
    });
    return toEnrichment({ ...place, id: place.id ?? placeId });
  }

  private async call<T>(
    method: string,
    path: string,
    mask: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, mask, body, signal);
      } catch (error) {
        const retryable = error instanceof PlacesApiError && error.retryable;
        if (!retryable || attempt >= this.options.maxRetries || signal?.aborted) throw error;
        await delay(
          this.options.retryBaseMs * 2 ** attempt * (0.5 + Math.random() / 2),
          undefined,
          { signal },
        ).catch(() => undefined);
      }
    }
  }

  private async once<T>(
    method: string,
    path: string,
    mask: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          'X-Goog-Api-Key': this.options.apiKey,
          'X-Goog-FieldMask': mask,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const timedOut = timeout.aborted;
      const message = timedOut
        ? `timed out after ${this.options.timeoutMs} ms`
        : (error as Error).message;
      throw new PlacesApiError(`${method} ${path}: ${message}`, null, !signal?.aborted);
    }
    const text = await response.text();
    if (response.ok) return (text ? JSON.parse(text) : {}) as T;
    const status = response.status;
    throw new PlacesApiError(
      `${method} ${path}: HTTP ${status} ${googleMessage(text)}`.trim(),
      status,
      status === 429 || status >= 500,
    );
  }
}

function mapPlaces(places: GooglePlace[], category: string): DiscoveredBusinessDto[] {
  return places.flatMap((p) => toDiscoveredBusiness(p, category) ?? []);
}

function googleMessage(text: string): string {
  try {
    return String(
      (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '',
    ).slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}
