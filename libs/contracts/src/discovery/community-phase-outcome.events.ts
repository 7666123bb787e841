import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { CommunityCountersDto, PhaseErrorDto } from '../orchestrator/community-phase.dto';
import { PhaseField } from '../orchestrator/fields';
import type { Phase } from '../orchestrator/rollout-statuses';
import { DiscoveryEventRef } from './discovery-event-ref.dto';

/** Fields both answers to a `CommunityPhaseRequested` carry. */
abstract class PhaseAnswer extends DiscoveryEventRef {
  @PhaseField()
  phase!: Phase;

  /** The `attempt` of the request being answered. */
  @IsInt()
  @Min(1)
  attempt!: number;

  /** Time the phase took, in ms. */
  @IsOptional()
  @IsInt()
  @Min(0)
  durationMs?: number;
}

/** A phase of a community succeeded; `counters` are what this phase produced. */
export class CommunityPhaseCompleted extends PhaseAnswer {
  @ValidateNested()
  @Type(() => CommunityCountersDto)
  counters!: CommunityCountersDto;

  /** Problems that did not fail the phase (e.g. one category's search failed). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  warnings?: string[];

  @IsISO8601()
  completedAt!: string;
}

/** A phase attempt of a community failed; the orchestrator retries it when `retryable`. */
export class CommunityPhaseFailed extends PhaseAnswer {
  /** e.g. `NO_LOCATION`, `QUOTA_EXCEEDED`, `ALL_CALLS_FAILED`. */
  @ValidateNested()
  @Type(() => PhaseErrorDto)
  error!: PhaseErrorDto;

  /** False for errors a retry cannot fix (no location, quota exhausted for the month). */
  @IsBoolean()
  retryable!: boolean;

  /** What the attempt produced before failing, if anything. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CommunityCountersDto)
  counters?: CommunityCountersDto;

  @IsISO8601()
  failedAt!: string;
}

export const CommunityPhaseCompletedEvent = defineEvent(
  'discovery',
  'CommunityPhaseCompleted',
  CommunityPhaseCompleted,
  {
    aggregateType: 'CommunityRollout',
    summary: 'A phase of a community succeeded, with its counters.',
  },
);

export const CommunityPhaseFailedEvent = defineEvent(
  'discovery',
  'CommunityPhaseFailed',
  CommunityPhaseFailed,
  {
    aggregateType: 'CommunityRollout',
    summary: 'A phase attempt of a community failed; retryable or not.',
  },
);
