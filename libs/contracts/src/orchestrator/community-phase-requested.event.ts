import {
  IsBoolean,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { defineEvent } from '../messages';
import { CommunityRolloutRef } from './community-rollout-ref.dto';
import { PhaseField } from './fields';
import type { Phase } from './rollout-statuses';

/**
 * The orchestrator asks the owner of a phase to run it for one community. The owner answers with
 * `CommunityPhaseCompleted` or `CommunityPhaseFailed` carrying the same `phase` and `attempt`;
 * no answer by `deadline` counts as a failed attempt.
 */
export class CommunityPhaseRequested extends CommunityRolloutRef {
  @PhaseField()
  phase!: Phase;

  /** 1 for the first try, 2 for the first retry, … */
  @IsInt()
  @Min(1)
  attempt!: number;

  /** ISO-8601 time by which the answer must arrive. */
  @IsISO8601()
  deadline!: string;

  @IsString()
  @Length(1, 200)
  communityName!: string;

  /** Absent or null when the registry has no location (phase 1 then fails with `NO_LOCATION`). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  population?: number | null;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  county?: string | null;

  /** The rollout's `skipEnrichment` setting (phase 4 owners skip Pro enrichment when true). */
  @IsBoolean()
  skipEnrichment!: boolean;

  @IsISO8601()
  requestedAt!: string;
}

export const CommunityPhaseRequestedEvent = defineEvent(
  'orchestrator',
  'CommunityPhaseRequested',
  CommunityPhaseRequested,
  {
    aggregateType: 'CommunityRollout',
    summary: 'A phase of a community is requested from its owner.',
  },
);
