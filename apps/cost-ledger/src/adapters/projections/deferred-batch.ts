import type { Tx } from '@rcp/persistence';

interface Deferred<T> {
  items: T[];
  flush: (items: T[], tx: Tx) => Promise<void>;
}

const pending = new WeakMap<Tx, Deferred<unknown>>();

/**
 * Collects a batch's items on its transaction and writes them all at once, just before the
 * transaction's next query (the consumer's checkpoint, or its savepoint release when it applies
 * events one by one). This is how `apply` gets the batched fast path while the chassis does not
 * call `Projection.applyBatch` (libs/eventing/src/batch-apply.ts never calls `applyAll`).
 * A failing write fails that next query, so the batch rolls back as a whole.
 */
export function deferUntilNextQuery<T>(
  tx: Tx,
  item: T,
  flush: (items: T[], tx: Tx) => Promise<void>,
): void {
  const existing = pending.get(tx) as Deferred<T> | undefined;
  if (existing) {
    existing.items.push(item);
    return;
  }
  const deferred: Deferred<T> = { items: [item], flush };
  pending.set(tx, deferred as Deferred<unknown>);
  const query = tx.query;
  const mutable = tx as { query: Tx['query'] };
  mutable.query = (async (sql: string, params?: unknown[]) => {
    mutable.query = query;
    pending.delete(tx);
    await deferred.flush(deferred.items, tx);
    return query(sql, params);
  }) as Tx['query'];
}
