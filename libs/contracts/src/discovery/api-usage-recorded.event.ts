import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Min } from 'class-validator';
import { defineEvent } from '../messages';
import { PhaseField, StateCodeField } from '../orchestrator/fields';
import { DECIMAL_PATTERN } from '../orchestrator/rollout-settings.dto';
import type { Phase } from '../orchestrator/rollout-statuses';
import {
  API_NAMES,
  type ApiName,
  ENDPOINTS,
  type Endpoint,
  SKU_TIERS,
  type SkuTier,
} from './api-usage.enums';

/**
 * One external API call (or one page of it) was made. Exactly one per call; the ledger prices it and
 * counts it once by `usageId`.
 */
export class ApiUsageRecorded {
  /** UUID of this usage; the ledger's idempotency key. */
  @IsUUID()
  usageId!: string;

  @IsUUID()
  communityRolloutId!: string;

  @IsOptional()
  @IsUUID()
  stateRolloutId?: string;

  @StateCodeField()
  stateCode!: string;

  @IsOptional()
  @PhaseField()
  phase?: Phase;

  @IsIn(API_NAMES)
  apiName!: ApiName;

  @IsIn(ENDPOINTS)
  endpoint!: Endpoint;

  /** The highest SKU of the request's field mask. */
  @IsIn(SKU_TIERS)
  skuTier!: SkuTier;

  @IsInt()
  @Min(0)
  requestCount!: number;

  /** Results the call returned (places on the page, 1 for details). */
  @IsInt()
  @Min(0)
  actualResponseCount!: number;

  /** Caller's estimate in USD, decimal string; the ledger prices with its price book. */
  @Matches(DECIMAL_PATTERN, { message: 'estimatedCost must be a decimal string like "0.005"' })
  estimatedCost!: string;

  @IsISO8601()
  recordedAt!: string;
}

export const ApiUsageRecordedEvent = defineEvent(
  'discovery',
  'ApiUsageRecorded',
  ApiUsageRecorded,
  {
    aggregateType: 'ApiUsage',
    summary: 'One metered external API call was made.',
  },
);
