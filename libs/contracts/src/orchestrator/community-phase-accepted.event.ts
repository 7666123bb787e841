import { Type } from 'class-transformer';
import { IsInt, IsISO8601, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../messages';
import { CommunityCountersDto } from './community-phase.dto';
import { CommunityRolloutRef } from './community-rollout-ref.dto';
import { PhaseField } from './fields';
import type { Phase } from './rollout-statuses';

/**
 * The orchestrator accepted the answer to its current phase request (a `CommunityPhaseCompleted`
 * with the same phase and attempt) and added its counters to the community's.
 */
export class CommunityPhaseAccepted extends CommunityRolloutRef {
  @PhaseField()
  phase!: Phase;

  @IsInt()
  @Min(1)
  attempt!: number;

  /** The increments the phase produced. */
  @ValidateNested()
  @Type(() => CommunityCountersDto)
  counters!: CommunityCountersDto;

  @IsISO8601()
  acceptedAt!: string;
}

export const CommunityPhaseAcceptedEvent = defineEvent('orchestrator', 'CommunityPhaseAccepted', CommunityPhaseAccepted, {
  aggregateType: 'CommunityRollout',
  summary: 'The answer to the current phase request was accepted with its counters.',
});
