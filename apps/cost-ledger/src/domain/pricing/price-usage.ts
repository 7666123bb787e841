import type { ApiName, Endpoint, PriceBookPublished, PriceEntryDto, SkuTier } from '@rcp/contracts';
import { toMicros, type Micros } from '../money/money';
import { priceKey } from '../price-book/price-book';

interface IndexedVersion {
  from: number;
  version: number;
  prices: Map<string, { entry: PriceEntryDto; unitCost: Micros }>;
}

const indexes = new WeakMap<readonly PriceBookPublished[], IndexedVersion[]>();

/** Versions sorted by (effectiveFrom, version) with their prices by key; memoised per array. */
function indexOf(versions: readonly PriceBookPublished[]): IndexedVersion[] {
  let index = indexes.get(versions);
  if (!index) {
    index = versions
      .map((v) => ({
        from: Date.parse(v.effectiveFrom),
        version: v.priceBookVersion,
        prices: new Map(
          v.prices.map((p) => [priceKey(p), { entry: p, unitCost: toMicros(p.unitCost) }]),
        ),
      }))
      .sort((a, b) => a.from - b.from || a.version - b.version);
    indexes.set(versions, index);
  }
  return index;
}

function inEffect(index: IndexedVersion[], time: number): IndexedVersion | undefined {
  for (let i = index.length - 1; i >= 0; i--) if (index[i].from <= time) return index[i];
  return undefined;
}

/** What pricing needs of one `ApiUsageRecorded`. */
export interface UsageToPrice {
  apiName: ApiName;
  endpoint: Endpoint;
  skuTier: SkuTier;
  requestCount: number;
  recordedAt: string;
}

export interface PricedUsage {
  /** Null when no version was in effect at `recordedAt` (priced at 0). */
  priceBookVersion: number | null;
  unitCost: Micros;
  freeUnits: number;
  pricedCost: Micros;
  /** Key of the month's free-unit counter: `api/endpoint/sku/YYYY-MM` (UTC). */
  counterKey: string;
}

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;

/** `2026-03` for any time in March 2026, UTC. */
export const monthOf = (at: string): string =>
  UTC_ISO.test(at) ? at.slice(0, 7) : new Date(at).toISOString().slice(0, 7);

export const freeCounterKey = (usage: UsageToPrice): string =>
  `${priceKey(usage)}/${monthOf(usage.recordedAt)}`;

/**
 * Prices one usage with the version in effect at its `recordedAt`. The first `freeMonthlyUnits`
 * requests of a calendar month (counted across all usages of that api/endpoint/sku, in stream
 * order) cost 0: `usedBefore` is that month's count before this usage.
 */
export function priceUsage(
  usage: UsageToPrice,
  versions: readonly PriceBookPublished[],
  usedBefore: number,
  counterKey = freeCounterKey(usage),
): PricedUsage {
  const version = inEffect(indexOf(versions), Date.parse(usage.recordedAt));
  const price = version?.prices.get(priceKey(usage));
  if (!version || !price)
    return {
      priceBookVersion: version?.version ?? null,
      unitCost: 0n,
      freeUnits: 0,
      pricedCost: 0n,
      counterKey,
    };
  const freeLeft = Math.max(0, (price.entry.freeMonthlyUnits ?? 0) - usedBefore);
  const freeUnits = Math.min(usage.requestCount, freeLeft);
  const unitCost = price.unitCost;
  return {
    priceBookVersion: version.version,
    unitCost,
    freeUnits,
    pricedCost: unitCost * BigInt(usage.requestCount - freeUnits),
    counterKey,
  };
}

/**
 * Prices usages in order, threading the free-unit counters through them; returns the priced
 * usages and the counters after the last one.
 */
export function priceInOrder<U extends UsageToPrice>(
  usages: readonly U[],
  versions: readonly PriceBookPublished[],
  counters: ReadonlyMap<string, number>,
): { priced: Array<U & PricedUsage>; counters: Map<string, number> } {
  const next = new Map(counters);
  const priced = usages.map((usage) => {
    const key = freeCounterKey(usage);
    const usedBefore = next.get(key) ?? 0;
    next.set(key, usedBefore + usage.requestCount);
    return Object.assign({}, usage, priceUsage(usage, versions, usedBefore, key));
  });
  return { priced, counters: next };
}
