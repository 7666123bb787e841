/** A signed decimal amount as a string, e.g. "-12.50" (for differences such as budget remaining). */
export const SIGNED_DECIMAL_PATTERN = /^-?\d{1,12}(\.\d{1,6})?$/;

/** Default budget thresholds, in percent of the budget. */
export const DEFAULT_BUDGET_THRESHOLD_PERCENTS = [50, 80] as const;

/** Groupings of `GetCostSummary`. */
export const COST_GROUP_BY = ['api', 'sku', 'day', 'community'] as const;
export type CostGroupBy = (typeof COST_GROUP_BY)[number];
