import type { Micros } from '../../domain/money/money';
import type { PricedUsage } from '../../domain/pricing/price-usage';
import type { RecordedUsage } from './api-usage.parse';

export type PricedRow = RecordedUsage & PricedUsage;

/** The state rollout of a usage without one, in keys of tables that need a value. */
export const NO_ROLLOUT = '00000000-0000-0000-0000-000000000000';

export interface Totals {
  usages: number;
  requests: number;
  freeUnits: number;
  estimated: Micros;
  priced: Micros;
}

/** Sums rows per key, in memory, so each roll-up is one multi-row upsert per batch. */
export function rollUp<K>(
  rows: readonly PricedRow[],
  keyOf: (row: PricedRow) => K & object,
  idOf: (row: PricedRow) => string = (row) => JSON.stringify(keyOf(row)),
): Array<K & Totals> {
  const groups = new Map<string, K & Totals>();
  for (const row of rows) {
    const id = idOf(row);
    let group = groups.get(id);
    if (!group) {
      group = { ...keyOf(row), usages: 0, requests: 0, freeUnits: 0, estimated: 0n, priced: 0n };
      groups.set(id, group);
    }
    group.usages += 1;
    group.requests += row.requestCount;
    group.freeUnits += row.freeUnits;
    group.estimated += row.estimatedCost;
    group.priced += row.pricedCost;
  }
  return [...groups.values()];
}

export const dailyKey = (r: PricedRow) => ({
  day: r.recordedAt.slice(0, 10),
  stateCode: r.stateCode,
  stateRolloutId: r.stateRolloutId ?? NO_ROLLOUT,
  communityRolloutId: r.communityRolloutId,
  apiName: r.apiName,
  endpoint: r.endpoint,
  skuTier: r.skuTier,
});

export const communityKey = (r: PricedRow) => ({
  communityRolloutId: r.communityRolloutId,
  stateRolloutId: r.stateRolloutId,
  stateCode: r.stateCode,
});

export const stateRolloutKey = (r: PricedRow) => ({
  stateRolloutId: r.stateRolloutId!,
  stateCode: r.stateCode,
});
