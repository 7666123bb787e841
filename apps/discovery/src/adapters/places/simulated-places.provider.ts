import { setTimeout as delay } from 'node:timers/promises';
import type { BusinessEnrichmentDto, DiscoveredBusinessDto } from '@rcp/contracts';
import { DETAILS_FIELD_MASK, SEARCH_FIELD_MASK, skuTierOf } from './field-masks';
import {
  PlacesApiError,
  type GeoPoint,
  type NearbySearchRequest,
  type PlacesProvider,
  type PlacesRequestOptions,
  type TextSearchRequest,
} from './places-provider';
import {
  businessName,
  pick,
  seededRandom,
  siteKind,
  slugOf,
  streetAddress,
} from './simulated-catalog';

export interface SimulatedPlacesOptions {
  /** Base URL of the simulated web server that serves the businesses' websites. */
  webBaseUrl: string;
  latencyMs: number;
  /** 0–1: share of calls that fail with a retryable 503. */
  errorRate: number;
  /** 0–1: share of nearby searches that fail with a retryable 503 (on top of `errorRate`). */
  nearbyErrorRate?: number;
  /** Share of businesses with a website (default 0.6). */
  websiteShare?: number;
}

/** The community a simulated search is about (from the request's options). */
export interface SimulatedArea {
  seed: string;
  town: string;
  stateCode: string;
  population: number;
}

const CATCH_ALL_CATEGORIES = ['restaurant', 'store', 'cafe', 'bar', 'beauty_salon', 'car_repair'];

/**
 * Deterministic Places: the same community and category always give the same businesses, with
 * counts scaled by population, near the community's coordinates. No network, except the websites,
 * which point at the simulated web server.
 */
export class SimulatedPlacesProvider implements PlacesProvider {
  readonly name = 'simulated';

  constructor(private readonly options: SimulatedPlacesOptions) {}

  async searchText(
    request: TextSearchRequest,
    options: PlacesRequestOptions = {},
  ): Promise<DiscoveredBusinessDto[]> {
    const area = areaOf(options);
    const all = request.catchAll
      ? this.catchAll(area, request)
      : this.pool(area, request.category, request.center, request.radiusMeters, 60);
    const pages = Math.min(3, Math.max(1, request.maxPages));
    const found: DiscoveredBusinessDto[] = [];
    for (let page = 0; page < pages; page++) {
      await options.beforeCall?.({
        endpoint: 'text_search',
        skuTier: skuTierOf(SEARCH_FIELD_MASK),
      });
      await this.callDelay(options.signal);
      const slice = all.slice(page * 20, page * 20 + 20);
      options.onCall?.({
        endpoint: 'text_search',
        skuTier: skuTierOf(SEARCH_FIELD_MASK),
        responseCount: slice.length,
      });
      found.push(...slice);
      if (all.length <= (page + 1) * 20) break;
    }
    return found;
  }

  async searchNearby(
    request: NearbySearchRequest,
    options: PlacesRequestOptions = {},
  ): Promise<DiscoveredBusinessDto[]> {
    await options.beforeCall?.({
      endpoint: 'nearby_search',
      skuTier: skuTierOf(SEARCH_FIELD_MASK),
    });
    await this.callDelay(options.signal, this.options.nearbyErrorRate);
    const found = this.pool(
      areaOf(options),
      request.category,
      request.center,
      request.radiusMeters,
      20,
    );
    options.onCall?.({
      endpoint: 'nearby_search',
      skuTier: skuTierOf(SEARCH_FIELD_MASK),
      responseCount: found.length,
    });
    return found;
  }

  async placeDetails(
    placeId: string,
    options: PlacesRequestOptions = {},
  ): Promise<BusinessEnrichmentDto> {
    await options.beforeCall?.({
      endpoint: 'place_details',
      skuTier: skuTierOf(DETAILS_FIELD_MASK),
    });
    await this.callDelay(options.signal);
    const rand = seededRandom(`details:${placeId}`);
    options.onCall?.({
      endpoint: 'place_details',
      skuTier: skuTierOf(DETAILS_FIELD_MASK),
      responseCount: 1,
    });
    const open = `${7 + Math.floor(rand() * 4)}:00 AM – ${5 + Math.floor(rand() * 5)}:00 PM`;
    return {
      placeId,
      phone: `(${200 + Math.floor(rand() * 700)}) 555-${String(1000 + Math.floor(rand() * 8999))}`,
      openingHours: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map(
        (d) => `${d}: ${open}`,
      ),
      businessStatus: rand() < 0.95 ? 'OPERATIONAL' : 'CLOSED_TEMPORARILY',
      details: {
        rating: Math.round((3 + rand() * 2) * 10) / 10,
        userRatingCount: Math.floor(rand() * 400),
      },
    };
  }

  /** How many businesses of a category a community has: grows with the log of its population. */
  countFor(area: SimulatedArea, category: string, cap: number): number {
    const rand = seededRandom(`${area.seed}:${category}:count`);
    const base = 2 + 10 * Math.log10(1 + Math.max(0, area.population) / 1000);
    return Math.min(cap, Math.max(0, Math.round(base * (0.7 + rand() * 0.6))));
  }

  private pool(
    area: SimulatedArea,
    category: string,
    center: GeoPoint,
    radius: number,
    cap: number,
  ): DiscoveredBusinessDto[] {
    const count = this.countFor(area, category, cap);
    return Array.from({ length: count }, (_, i) =>
      this.business(area, category, i, center, radius),
    );
  }

  private catchAll(area: SimulatedArea, request: TextSearchRequest): DiscoveredBusinessDto[] {
    const rand = seededRandom(`${area.seed}:${request.textQuery}`);
    return Array.from({ length: Math.min(20, 4 + Math.floor(rand() * 12)) }, () => {
      const category = pick(rand, CATCH_ALL_CATEGORIES);
      const n = this.countFor(area, category, 60);
      return n === 0
        ? null
        : this.business(
            area,
            category,
            Math.floor(rand() * n),
            request.center,
            request.radiusMeters,
          );
    }).filter((b): b is DiscoveredBusinessDto => b !== null);
  }

  private business(
    area: SimulatedArea,
    category: string,
    index: number,
    center: GeoPoint,
    radius: number,
  ): DiscoveredBusinessDto {
    const rand = seededRandom(`${area.seed}:${category}:${index}`);
    const name = businessName(rand, category, area.town);
    const placeId = `sim_${seededRandom(`${area.seed}:${category}:${index}:id`)().toString(36).slice(2, 12)}${index.toString(36)}`;
    const distance = (rand() * radius) / 111_320;
    const angle = rand() * 2 * Math.PI;
    const hasSite = rand() < (this.options.websiteShare ?? 0.6);
    return {
      placeId,
      name,
      category,
      primaryType: category,
      types: [category, 'point_of_interest', 'establishment'],
      address: streetAddress(rand, area.town, area.stateCode),
      latitude: clamp(center.latitude + distance * Math.sin(angle), -90, 90),
      longitude: clamp(
        center.longitude +
          (distance * Math.cos(angle)) / Math.max(0.2, Math.cos((center.latitude * Math.PI) / 180)),
        -180,
        180,
      ),
      website: hasSite
        ? `${this.options.webBaseUrl}/sites/${siteKind(rand)}/${slugOf(name)}-${placeId.slice(4, 10)}/`
        : undefined,
      rating: Math.round((3 + rand() * 2) * 10) / 10,
      userRatingCount: Math.floor(rand() * 500),
    };
  }

  private async callDelay(signal?: AbortSignal, extraErrorRate = 0): Promise<void> {
    if (this.options.latencyMs > 0) await delay(this.options.latencyMs, undefined, { signal });
    if (this.options.errorRate > 0 && Math.random() < this.options.errorRate)
      throw new PlacesApiError('simulated Places error: HTTP 503', 503, true);
    if (extraErrorRate > 0 && Math.random() < extraErrorRate)
      throw new PlacesApiError('simulated Places nearby search error: HTTP 503', 503, true);
  }
}

function areaOf(options: PlacesRequestOptions): SimulatedArea {
  return (
    options.area ?? {
      seed: options.seed ?? 'default',
      town: 'Springfield',
      stateCode: 'IL',
      population: 10_000,
    }
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
