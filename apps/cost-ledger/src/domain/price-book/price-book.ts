import type { PriceBookPublished, PriceEntryDto } from '@rcp/contracts';
import { assertNever, type DomainEvent } from '@rcp/domain';

/** The ledger keeps one price book; its versions are the events of one stream. */
export const PRICE_BOOK_ID = '6f1d2c3b-0000-4000-8000-00000000b00c';

export type PriceBookEvent = DomainEvent<'PriceBookPublished', PriceBookPublished>;

export interface PriceBookState {
  versions: PriceBookPublished[];
}

export const initialPriceBookState: PriceBookState = { versions: [] };

export function evolvePriceBook(state: PriceBookState, event: PriceBookEvent): PriceBookState {
  switch (event.type) {
    case 'PriceBookPublished':
      return { versions: [...state.versions, event.data] };
    default:
      return assertNever(event.type);
  }
}

/** `google_places/text_search/essentials`: the key of a price entry. */
export const priceKey = (e: Pick<PriceEntryDto, 'apiName' | 'endpoint' | 'skuTier'>): string =>
  `${e.apiName}/${e.endpoint}/${e.skuTier}`;

/**
 * The version in effect at `at`: the latest `effectiveFrom` not after it (the higher version wins
 * a tie); undefined before the first one.
 */
export function versionInEffect(
  versions: readonly PriceBookPublished[],
  at: string,
): PriceBookPublished | undefined {
  const time = Date.parse(at);
  let best: PriceBookPublished | undefined;
  for (const v of versions) {
    const from = Date.parse(v.effectiveFrom);
    if (from > time) continue;
    if (!best || from > Date.parse(best.effectiveFrom)) best = v;
    else if (from === Date.parse(best.effectiveFrom) && v.priceBookVersion > best.priceBookVersion)
      best = v;
  }
  return best;
}
