import type { EventEnvelope } from '@rcp/contracts';
import type { DeliveryInfo, Projection } from '@rcp/eventing';
import type { EventStore, Tx } from '@rcp/persistence';
import { freeCounterKey, priceInOrder } from '../../domain/pricing/price-usage';
import { announceSpend, foldBudgets } from '../budget/budget-store';
import { readBatch, writeBatch, type BatchWrite } from './api-usage.sql';
import { parseUsage, type RecordedUsage } from './api-usage.parse';
import { PriceBookReader } from './price-book.reader';

export const USAGE_TABLES = [
  'rollout_api_usage',
  'usage_daily_rollups',
  'community_rollout_costs',
  'state_rollout_costs',
  'free_unit_usage',
] as const;

type Item = { event: EventEnvelope; delivery: DeliveryInfo };

/**
 * `ApiUsageRecorded` → priced `rollout_api_usage` rows, roll-ups per day/community/state rollout,
 * free-unit counters and budget checks, a whole batch at a time in two statements: locks and
 * reads, then every write (see `api-usage.sql.ts`).
 */
export function apiUsageProjection(
  store: EventStore,
  options: { batchSize?: number } = {},
): Projection {
  const prices = new PriceBookReader();
  const ingest = (items: Item[], tx: Tx) => ingestUsages(store, prices, items, tx);
  return {
    name: 'api-usage',
    filterSubject: 'events.discovery.ApiUsageRecorded.*',
    eventTypes: ['ApiUsageRecorded'],
    tables: USAGE_TABLES,
    batchSize: options.batchSize ?? 1000,
    // Each row keeps its event id and usage id (unique): a redelivered or republished usage is
    // found by `readBatch` and skipped in the same transaction, so the chassis inbox is redundant.
    inbox: false,
    // A whole batch at once; when one event is bad, the chassis re-applies them one by one.
    applyBatch: ingest,
    apply: (event, tx, delivery) => ingest([{ event, delivery }], tx),
  };
}

async function ingestUsages(store: EventStore, prices: PriceBookReader, items: Item[], tx: Tx) {
  const batch = distinct(items.map((i) => parseUsage(i.event, i.delivery.streamSequence)));
  const rollouts = [...new Set(batch.flatMap((u) => (u.stateRolloutId ? [u.stateRolloutId] : [])))];
  const reads = await readBatch(tx, {
    counterKeys: [...new Set(batch.map(freeCounterKey))],
    usageIds: batch.map((u) => u.usageId),
    stateRolloutIds: rollouts,
    versions: prices.count,
  });
  prices.absorb(reads.fresh);
  const usages = batch.filter((u) => !reads.known.has(u.usageId));
  if (usages.length === 0) return;
  let written = await priceAndWrite(tx, usages, prices, reads.counters, rollouts);
  if (written.versions !== prices.count) {
    // A version was published while this batch waited for the price-book lock: now it is held.
    await prices.load(tx);
    written = await priceAndWrite(tx, usages, prices, reads.counters, rollouts);
    if (written.versions !== prices.count)
      throw concurrentChange('price book changed under its lock');
  }
  // `readBatch` saw the usages in its statement's snapshot, taken before it waited for the locks:
  // a replica that committed the same usages meanwhile makes the insert skip them, and the
  // counters written with them would be wrong. Roll back; the retry sees them as known.
  if (written.inserted !== usages.length)
    throw concurrentChange('usages recorded concurrently by another replica; retrying the batch');
  const events = new Map(items.map((i) => [i.event.id, i.event]));
  const raised = written.touched
    .sort((a, b) => (a.stateRolloutId < b.stateRolloutId ? -1 : 1))
    .map((t) => ({
      stateRolloutId: t.stateRolloutId,
      spent: t.spent,
      cause: events.get(t.causeId)!,
    }));
  await announceSpend(store, tx, raised, foldBudgets(written.budgetEvents));
}

async function priceAndWrite(
  tx: Tx,
  usages: RecordedUsage[],
  prices: PriceBookReader,
  counters: Map<string, number>,
  stateRolloutIds: string[],
): Promise<BatchWrite> {
  const { priced, counters: after } = priceInOrder(usages, prices.absorb([]), counters);
  return writeBatch(tx, priced, after, { versions: prices.count, stateRolloutIds });
}

/** Drops in-batch repeats of a usage id (a usage republished under a new event id). */
function distinct(usages: RecordedUsage[]): RecordedUsage[] {
  const ids = new Set<string>();
  return usages.filter((u) => !ids.has(u.usageId) && ids.add(u.usageId));
}

/** A concurrent writer won: SQLSTATE 40001 (serialization failure), so the chassis redelivers. */
function concurrentChange(message: string): Error {
  return Object.assign(new Error(message), { code: '40001' });
}
