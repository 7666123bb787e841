import { IsIn, IsISO8601, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import { StateCodeInput } from '../orchestrator/fields';
import { COST_GROUP_BY, type CostGroupBy } from './ledger.constants';

/** Output formats of `GetCostSummary`. */
export const COST_SUMMARY_FORMATS = ['json', 'csv'] as const;
export type CostSummaryFormat = (typeof COST_SUMMARY_FORMATS)[number];

const noScope = (o: GetCostSummary) =>
  o.stateCode == null && o.stateRolloutId == null && o.communityRolloutId == null;

/**
 * Priced API usage of a state (its latest rollout), a state rollout or a community rollout, in a
 * time range `[from, to)`, grouped by api, sku, UTC day or community. Give one scope (when
 * several are given, the narrowest wins); without any, `stateCode` is reported missing.
 */
export class GetCostSummary extends QueryDto {
  @ValidateIf((o: GetCostSummary) => o.stateCode != null || noScope(o))
  @StateCodeInput()
  stateCode?: string;

  @IsOptional()
  @IsUUID()
  stateRolloutId?: string;

  @IsOptional()
  @IsUUID()
  communityRolloutId?: string;

  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  /** Default `api`. */
  @IsOptional()
  @IsIn(COST_GROUP_BY)
  groupBy?: CostGroupBy;

  /** `csv` adds the same figures as CSV text in `csv` (header `key,requests,cost`). */
  @IsOptional()
  @IsIn(COST_SUMMARY_FORMATS)
  format?: CostSummaryFormat;
}

/** One group of a cost summary. */
export interface CostGroup {
  /** `google_places`, `essentials`, `2026-03-01`, or a community rollout id. */
  key: string;
  requests: number;
  cost: string;
}

/** Reply of `qry.ledger.GetCostSummary`; costs are decimal strings. */
export interface CostSummaryReply {
  totalRequests: number;
  totalCost: string;
  groupBy: CostGroupBy;
  groups: CostGroup[];
  /** Present when `format` is `csv`. */
  csv?: string;
}

export const GetCostSummaryQuery = defineQuery(
  'ledger',
  'GetCostSummary',
  GetCostSummary,
  'Requests and priced cost, grouped by api, sku, day or community.',
);
