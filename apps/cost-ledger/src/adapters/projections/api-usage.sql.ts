import type { PriceBookPublished } from '@rcp/contracts';
import { arrayLiteral, type Tx } from '@rcp/persistence';
import type { QueryResultRow } from 'pg';
import { formatMicros } from '../../domain/money/money';
import { PRICE_BOOK_LOCK, PRICE_BOOK_STREAM_ID } from './price-book.reader';
import { NO_ROLLOUT, type PricedRow } from './usage-rollups';
import { WRITE_BATCH_SQL } from './write-batch.sql';

/** What a batch needs before pricing, read under the batch's locks. */
export interface BatchReads {
  /** Free-unit counters of the batch's keys (`api/endpoint/sku/month`), row-locked. */
  counters: Map<string, number>;
  /** Usage ids of the batch already recorded. */
  known: Set<string>;
  /** Price-book versions after the ones the caller knows (optimistic: see `writeBatch`). */
  fresh: PriceBookPublished[];
}

// One round trip: the price book's shared lock, then the budgets' locks (sorted, one statement:
// no deadlock between replicas), then the counters (gated on the locks, so taken after them).
const READ_BATCH_SQL = `
WITH locks AS MATERIALIZED (
  SELECT (SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared(hashtext($1))) AS book)
       + (SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM unnest($2::text[]) AS k) AS n
), counters AS (
  INSERT INTO free_unit_usage AS f (api_name, endpoint, sku_tier, month, units_used)
  SELECT c.a, c.e, c.s, c.m, 0 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS c(a, e, s, m)
   WHERE (SELECT n FROM locks) > 0
  ON CONFLICT (api_name, endpoint, sku_tier, month) DO UPDATE SET units_used = f.units_used
  RETURNING api_name || '/' || endpoint || '/' || sku_tier || '/' || month AS key, units_used
)
SELECT (SELECT n FROM locks) AS locks,
       (SELECT COALESCE(json_object_agg(key, units_used), '{}') FROM counters) AS counters,
       (SELECT COALESCE(json_agg(id), '[]') FROM rollout_api_usage WHERE id = ANY($7::uuid[])) AS known,
       (SELECT COALESCE(json_agg(data ORDER BY stream_version), '[]') FROM events
         WHERE stream_id = $8 AND stream_version > $9) AS fresh`;

export const budgetLockKey = (stateRolloutId: string) => `ledger:budget:${stateRolloutId}`;
export const budgetStreamId = (stateRolloutId: string) => `Budget-${stateRolloutId}`;

/** Locks what the batch touches and reads counters, known usages and new price-book versions. */
export async function readBatch(
  tx: Tx,
  input: { counterKeys: string[]; usageIds: string[]; stateRolloutIds: string[]; versions: number },
): Promise<BatchReads> {
  const keys = [...input.counterKeys].sort().map((key) => key.split('/'));
  const [row] = await prepared<{
    counters: Record<string, number>;
    known: string[];
    fresh: PriceBookPublished[];
  }>(tx, 'ledger_read_usage_batch', READ_BATCH_SQL, [
    PRICE_BOOK_LOCK,
    [...input.stateRolloutIds].sort().map(budgetLockKey),
    ...[0, 1, 2, 3].map((i) => keys.map((k) => k[i])),
    input.usageIds,
    PRICE_BOOK_STREAM_ID,
    input.versions,
  ]);
  return {
    counters: new Map(Object.entries(row.counters).map(([k, v]) => [k, Number(v)])),
    known: new Set(row.known),
    fresh: row.fresh,
  };
}

/** A state rollout whose spend the batch raised. */
export interface TouchedRollout {
  stateRolloutId: string;
  /** `total_api_cost` after the batch, as PostgreSQL prints it. */
  spent: string;
  /** Event id of the rollout's last usage in the batch. */
  causeId: string;
}

export interface BatchWrite {
  /** Price-book versions in the statement's snapshot; nothing was written unless it matched. */
  versions: number;
  inserted: number;
  touched: TouchedRollout[];
  budgetEvents: Array<[stateRolloutId: string, type: string, data: unknown]>;
}

/**
 * Writes a priced batch in one statement: the rows (`ON CONFLICT (id) DO NOTHING`), the counters,
 * the three roll-ups summed in numeric from the rows actually inserted, and the watermark; reads
 * back the spend and the budget events of the touched state rollouts. Writes nothing when the
 * price book has other than `versions` versions (one was published while the batch waited for
 * the lock: the caller reprices and writes again).
 */
export async function writeBatch(
  tx: Tx,
  rows: PricedRow[],
  counters: Map<string, number>,
  input: { versions: number; stateRolloutIds: string[] },
): Promise<BatchWrite> {
  const keys = [...counters.keys()].map((key) => key.split('/'));
  const [row] = await prepared<{
    versions: string;
    inserted: string;
    touched: Array<[string, string, string]>;
    budgets: BatchWrite['budgetEvents'];
  }>(tx, 'ledger_write_usage_batch', WRITE_BATCH_SQL, [
    PRICE_BOOK_STREAM_ID,
    input.versions,
    ...rowColumns(rows),
    ...[0, 1, 2, 3].map((i) => keys.map((k) => k[i])),
    [...counters.values()],
    input.stateRolloutIds.map(budgetStreamId),
    NO_ROLLOUT,
  ]);
  return {
    versions: Number(row.versions),
    inserted: Number(row.inserted),
    touched: row.touched.map(([stateRolloutId, spent, causeId]) => ({
      stateRolloutId,
      spent,
      causeId,
    })),
    budgetEvents: row.budgets,
  };
}

// Named: PostgreSQL parses and plans these long statements once per connection, not per batch.
async function prepared<T extends QueryResultRow>(
  tx: Tx,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  return (await tx.client.query<T>({ name, text, values })).rows;
}

/**
 * The columns of the rows, each as one PostgreSQL array literal (`{a,b,NULL}`): pg would escape
 * and quote every element of 18 arrays of a thousand, most of them uuids, codes and numbers that
 * need no quoting; here only an element that needs it is quoted.
 */
function rowColumns(rows: PricedRow[]): string[] {
  return rowArrays(rows).map(arrayLiteral);
}

function rowArrays(rows: PricedRow[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 18 }, () => new Array<unknown>(rows.length));
  const formatted = new Map<bigint, string>();
  const money = (micros: bigint) => {
    let text = formatted.get(micros);
    if (text === undefined) formatted.set(micros, (text = formatMicros(micros)));
    return text;
  };
  rows.forEach((r, i) => {
    const values = [
      r.usageId,
      r.eventId,
      r.communityRolloutId,
      r.stateRolloutId,
      r.stateCode,
      r.phase,
      r.apiName,
      r.endpoint,
      r.skuTier,
      r.requestCount,
      money(r.estimatedCost),
      r.actualResponseCount,
      r.priceBookVersion,
      money(r.unitCost),
      r.freeUnits,
      money(r.pricedCost),
      r.recordedAt,
      r.streamSequence,
    ];
    for (let c = 0; c < values.length; c++) columns[c][i] = values[c];
  });
  return columns;
}
