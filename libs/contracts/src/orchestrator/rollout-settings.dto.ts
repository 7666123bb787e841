import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

/** A decimal amount of US dollars as a string, e.g. "125.50" (never a float). */
export const DECIMAL_PATTERN = /^\d{1,12}(\.\d{1,6})?$/;

/** Settings of a state rollout. Omitted fields take the defaults in {@link ROLLOUT_SETTING_DEFAULTS}. */
export class RolloutSettingsDto {
  /** Communities in flight at once for the state (default 5). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  batchSize?: number;

  /** Pause between two dispatches, in ms (default 100). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  throttleMs?: number;

  /** Communities processed concurrently by workers (default = batchSize). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  concurrentCommunities?: number;

  /** Skip phase 4 (enrichment). */
  @IsOptional()
  @IsBoolean()
  skipEnrichment?: boolean;

  /** Community ids dispatched before all others, in this order. */
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  priorityCommunities?: string[];

  /** Spend ceiling for the rollout in USD, as a decimal string. */
  @IsOptional()
  @Matches(DECIMAL_PATTERN, { message: 'budget must be a decimal string like "250.00"' })
  budget?: string;
}

export const ROLLOUT_SETTING_DEFAULTS = {
  batchSize: 5,
  throttleMs: 100,
  skipEnrichment: false,
  priorityCommunities: [] as string[],
} as const;

/** Used by DTOs that nest settings. */
export const SettingsType = () => Type(() => RolloutSettingsDto);
