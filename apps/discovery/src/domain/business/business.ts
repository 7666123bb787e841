import type {
  BusinessEnrichmentDto,
  BusinessesDiscovered,
  BusinessesEnriched,
  DiscoveredBusinessDto,
  ScanOutcome,
  WebsiteScanned,
} from '@rcp/contracts';
import { assertNever } from '@rcp/domain';

/** What discovery learned about the businesses of one community rollout (`Business-<id>`). */
export type BusinessEvent =
  | { type: 'BusinessesDiscovered'; data: BusinessesDiscovered }
  | { type: 'WebsiteScanned'; data: WebsiteScanned }
  | { type: 'BusinessesEnriched'; data: BusinessesEnriched };

export interface WebsiteScan {
  outcome: ScanOutcome;
  finalUrl?: string;
  title?: string;
  feedUrls: string[];
  cmsHints: string[];
}

export interface BusinessRecord extends DiscoveredBusinessDto {
  scan?: WebsiteScan;
  enrichment?: BusinessEnrichmentDto;
}

export interface BusinessState {
  /** By place id, in the order first found. */
  businesses: Record<string, BusinessRecord>;
}

export const initialBusinessState: BusinessState = { businesses: {} };

function withBusiness(
  state: BusinessState,
  placeId: string,
  change: (b: BusinessRecord) => BusinessRecord,
): BusinessState {
  const current = state.businesses[placeId];
  if (!current) return state;
  return { businesses: { ...state.businesses, [placeId]: change(current) } };
}

export function evolveBusinesses(state: BusinessState, event: BusinessEvent): BusinessState {
  switch (event.type) {
    case 'BusinessesDiscovered': {
      const businesses = { ...state.businesses };
      for (const b of event.data.businesses)
        businesses[b.placeId] = { ...businesses[b.placeId], ...b };
      return { businesses };
    }
    case 'WebsiteScanned': {
      const { outcome, finalUrl, title, feedUrls, cmsHints } = event.data;
      return withBusiness(state, event.data.placeId, (b) => ({
        ...b,
        scan: { outcome, finalUrl, title, feedUrls, cmsHints },
      }));
    }
    case 'BusinessesEnriched': {
      let next = state;
      for (const e of event.data.businesses)
        next = withBusiness(next, e.placeId, (b) => ({
          ...b,
          enrichment: e,
          phone: e.phone ?? b.phone,
        }));
      return next;
    }
    default:
      return assertNever(event);
  }
}

export const businessesOf = (state: BusinessState): BusinessRecord[] =>
  Object.values(state.businesses);
