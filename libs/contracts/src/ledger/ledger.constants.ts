/** A signed decimal amount as a string, e.g. "-12.50" (for differences such as budget remaining). */
export const SIGNED_DECIMAL_PATTERN = /^-?\d{1,12}(\.\d{1,6})?$/;

/** Default budget thresholds, in percent of the budget. */
export const DEFAULT_BUDGET_THRESHOLD_PERCENTS = [50, 80] as const;

/** Groupings of `GetCostSummary`. */
export const COST_GROUP_BY = ['api', 'sku', 'day', 'community'] as const;
export type CostGroupBy = (typeof COST_GROUP_BY)[number];

/** Error codes of the ledger beyond the shared ERROR_CODES. Never rename one. */
export const LEDGER_ERROR_CODES = {
  /** A price-book version may not take effect at or before a usage the ledger already priced. */
  PRICE_BOOK_BACKDATED: 'PRICE_BOOK_BACKDATED',
} as const;
