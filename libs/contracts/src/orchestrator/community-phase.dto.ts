import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

/**
 * Outcome counters of a community rollout (the columns of `community_rollouts`).
 * In `CommunityPhaseCompleted` they are the increments the phase produced; absent means 0.
 */
export class CommunityCountersDto {
  @IsOptional() @IsInt() @Min(0) businessesDiscovered?: number;
  @IsOptional() @IsInt() @Min(0) businessesWithWebsites?: number;
  @IsOptional() @IsInt() @Min(0) newsSourcesCreated?: number;
  @IsOptional() @IsInt() @Min(0) collectionMethodsCreated?: number;
  @IsOptional() @IsInt() @Min(0) eventsVenuesCreated?: number;
  @IsOptional() @IsInt() @Min(0) directoryListingsCreated?: number;
  @IsOptional() @IsInt() @Min(0) crmLeadsCreated?: number;
  /** External API calls made (each one is also an `ApiUsageRecorded`). */
  @IsOptional() @IsInt() @Min(0) apiCallsMade?: number;
}

/** The counter names, in column order. */
export const COMMUNITY_COUNTER_NAMES = [
  'businessesDiscovered',
  'businessesWithWebsites',
  'newsSourcesCreated',
  'collectionMethodsCreated',
  'eventsVenuesCreated',
  'directoryListingsCreated',
  'crmLeadsCreated',
  'apiCallsMade',
] as const satisfies readonly (keyof CommunityCountersDto)[];

export type CommunityCounterName = (typeof COMMUNITY_COUNTER_NAMES)[number];

/** Why a phase or a community failed: a stable code (e.g. `QUOTA_EXCEEDED`, `NO_LOCATION`) and a sentence. */
export class PhaseErrorDto {
  @IsString()
  @Length(1, 100)
  code!: string;

  @IsString()
  @Length(1, 4000)
  message!: string;
}
