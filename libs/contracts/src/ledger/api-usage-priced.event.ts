import { IsInt, IsISO8601, IsUUID, Matches, Min } from 'class-validator';
import { defineEvent } from '../messages';
import { StateCodeField } from '../orchestrator/fields';
import { DECIMAL_PATTERN } from '../orchestrator/rollout-settings.dto';

/**
 * The ledger priced one `ApiUsageRecorded` (same `usageId`) with the price book in effect at its
 * time, after free monthly units. Its roll-ups sum these.
 */
export class ApiUsagePriced {
  @IsUUID()
  usageId!: string;

  @IsUUID()
  communityRolloutId!: string;

  @StateCodeField()
  stateCode!: string;

  @IsInt()
  @Min(1)
  priceBookVersion!: number;

  /** Requests of the usage that fell within the month's free units. */
  @IsInt()
  @Min(0)
  freeUnitsApplied!: number;

  /** USD, decimal string. */
  @Matches(DECIMAL_PATTERN)
  pricedCost!: string;

  @IsISO8601()
  pricedAt!: string;
}

export const ApiUsagePricedEvent = defineEvent('ledger', 'ApiUsagePriced', ApiUsagePriced, {
  aggregateType: 'ApiUsage',
  summary: 'An API usage was priced with the price book.',
});
