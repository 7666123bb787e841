import type { PriceBookPublished } from '@rcp/contracts';
import type { Queryable } from '@rcp/persistence';
import { PRICE_BOOK_ID } from '../../domain/price-book/price-book';

export const PRICE_BOOK_STREAM = { aggregateType: 'PriceBook', aggregateId: PRICE_BOOK_ID };
export const PRICE_BOOK_STREAM_ID = `PriceBook-${PRICE_BOOK_ID}`;

/** Shared lock of pricing vs. the exclusive lock of PublishPriceBook. */
export const PRICE_BOOK_LOCK = 'ledger:price-book';

/**
 * Price-book versions read from the ledger's own event store (the write side, committed with the
 * command), so pricing never lags a published version. Versions are immutable: only new ones are
 * fetched.
 */
export class PriceBookReader {
  private versions: PriceBookPublished[] = [];

  async load(db: Queryable): Promise<readonly PriceBookPublished[]> {
    const fresh = await db.query<{ data: PriceBookPublished }>(
      `SELECT data FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
      [PRICE_BOOK_STREAM_ID, this.versions.length],
    );
    return this.absorb(fresh.map((r) => r.data));
  }

  /** The versions known so far. */
  get count(): number {
    return this.versions.length;
  }

  /** Adds versions read elsewhere (those after `count`, in order). */
  absorb(fresh: readonly PriceBookPublished[]): readonly PriceBookPublished[] {
    if (fresh.length > 0) this.versions = [...this.versions, ...fresh];
    return this.versions;
  }
}
