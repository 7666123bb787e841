import { IsIn, IsInt, IsOptional, Matches, Min } from 'class-validator';
import {
  API_NAMES,
  type ApiName,
  ENDPOINTS,
  type Endpoint,
  SKU_TIERS,
  type SkuTier,
} from '../discovery/api-usage.enums';
import { DECIMAL_PATTERN } from '../orchestrator/rollout-settings.dto';

/** The price of one request to an API endpoint at one SKU tier. */
export class PriceEntryDto {
  @IsIn(API_NAMES)
  apiName!: ApiName;

  @IsIn(ENDPOINTS)
  endpoint!: Endpoint;

  @IsIn(SKU_TIERS)
  skuTier!: SkuTier;

  /** USD per request, decimal string (Essentials text search: "0.005"). */
  @Matches(DECIMAL_PATTERN, { message: 'unitCost must be a decimal string like "0.005"' })
  unitCost!: string;

  /** The first N requests of each calendar month (UTC) cost 0. */
  @IsOptional()
  @IsInt()
  @Min(0)
  freeMonthlyUnits?: number;
}
