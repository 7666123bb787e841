import { IsInt, IsISO8601, IsOptional, IsString, Length, Min } from 'class-validator';
import { defineEvent } from '../messages';
import { CommunityRolloutRef } from './community-rollout-ref.dto';

/** A community joined a state rollout's queue (at start, on resume, or on a manual retry). */
export class CommunityRolloutQueued extends CommunityRolloutRef {
  @IsString()
  @Length(1, 200)
  communityName!: string;

  /** Position in the rollout's `priorityCommunities` (0 first); absent for ordinary communities. */
  @IsOptional()
  @IsInt()
  @Min(0)
  priority?: number;

  @IsISO8601()
  queuedAt!: string;
}

export const CommunityRolloutQueuedEvent = defineEvent(
  'orchestrator',
  'CommunityRolloutQueued',
  CommunityRolloutQueued,
  { aggregateType: 'CommunityRollout', summary: 'A community is queued for dispatch.' },
);
