import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../messages';
import { COMMUNITY_COUNTER_NAMES, type CommunityCounterName } from './community-phase.dto';
import { CommunityRolloutRef } from './community-rollout-ref.dto';

/** One threshold of the phase-5 gate that a community missed. */
export class QualityGateFailureDto {
  @IsIn(COMMUNITY_COUNTER_NAMES)
  counter!: CommunityCounterName;

  @IsInt()
  @Min(0)
  actual!: number;

  @IsInt()
  @Min(0)
  minimum!: number;
}

/**
 * Phase 5 (verification), run by the orchestrator itself: the community's counters were checked
 * against the configured thresholds. A failed gate fails the community with the reasons.
 */
export class CommunityQualityGateChecked extends CommunityRolloutRef {
  @IsBoolean()
  passed!: boolean;

  /** The thresholds missed; empty when `passed`. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => QualityGateFailureDto)
  failures!: QualityGateFailureDto[];

  @IsISO8601()
  checkedAt!: string;
}

export const CommunityQualityGateCheckedEvent = defineEvent(
  'orchestrator',
  'CommunityQualityGateChecked',
  CommunityQualityGateChecked,
  {
    aggregateType: 'CommunityRollout',
    summary: 'Phase 5: the counters of a community were checked.',
  },
);
