import { Type } from 'class-transformer';
import { IsInt, IsISO8601, Matches, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../messages';
import { CommunityCountersDto, PhaseErrorDto } from './community-phase.dto';
import { CommunityRolloutRef } from './community-rollout-ref.dto';
import { PhaseField } from './fields';
import { DECIMAL_PATTERN } from './rollout-settings.dto';
import type { Phase } from './rollout-statuses';

/** All six phases of a community passed (phase 4 possibly skipped). */
export class CommunityRolloutCompleted extends CommunityRolloutRef {
  /** The community's final counters (totals over all phases). */
  @ValidateNested()
  @Type(() => CommunityCountersDto)
  counters!: CommunityCountersDto;

  /** Estimated API cost of the community in USD, decimal string. */
  @Matches(DECIMAL_PATTERN)
  apiCostEstimate!: string;

  @IsInt()
  @Min(0)
  retryCount!: number;

  @IsISO8601()
  completedAt!: string;
}

/** A community failed for good (retries spent, a non-retryable error, or the phase-5 gate). */
export class CommunityRolloutFailed extends CommunityRolloutRef {
  /** The phase that failed. */
  @PhaseField()
  phase!: Phase;

  @ValidateNested()
  @Type(() => PhaseErrorDto)
  error!: PhaseErrorDto;

  @IsInt()
  @Min(0)
  retryCount!: number;

  @IsISO8601()
  failedAt!: string;
}

export const CommunityRolloutCompletedEvent = defineEvent(
  'orchestrator',
  'CommunityRolloutCompleted',
  CommunityRolloutCompleted,
  { aggregateType: 'CommunityRollout', summary: 'A community passed all six phases.' },
);

export const CommunityRolloutFailedEvent = defineEvent(
  'orchestrator',
  'CommunityRolloutFailed',
  CommunityRolloutFailed,
  { aggregateType: 'CommunityRollout', summary: 'A community failed for good.' },
);
