import type { Projection } from '@rcp/eventing';
import type { Tx } from '@rcp/persistence';

/**
 * Records when each event's transaction commits: wraps the projection's entry points and watches
 * the transaction's client for its COMMIT. Bench-only instrumentation.
 */
export function probeCommits(
  projection: Projection,
  onCommitted: (eventIds: string[], at: number) => void,
): void {
  const open = new WeakMap<Tx, string[]>();
  const track = (tx: Tx, ids: string[]) => {
    const known = open.get(tx);
    if (known) return void known.push(...ids);
    open.set(tx, [...ids]);
    const client = tx.client as unknown as { query: (...args: unknown[]) => Promise<unknown> };
    const query = client.query;
    client.query = (...args: unknown[]) => {
      const result = query.apply(client, args);
      if (args[0] === 'COMMIT' || args[0] === 'ROLLBACK') {
        delete (client as { query?: unknown }).query;
        const ids = open.get(tx) ?? [];
        if (args[0] === 'COMMIT') void result.then(() => onCommitted(ids, performance.now()));
      }
      return result;
    };
  };
  const apply = projection.apply.bind(projection);
  projection.apply = async (event, tx, delivery) => {
    await apply(event, tx, delivery);
    track(tx, [event.id]);
  };
  const applyBatch = projection.applyBatch?.bind(projection);
  if (applyBatch)
    projection.applyBatch = async (items, tx) => {
      await applyBatch(items, tx);
      track(
        tx,
        items.map((i) => i.event.id),
      );
    };
}
