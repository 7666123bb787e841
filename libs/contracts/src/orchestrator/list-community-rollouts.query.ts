import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineQuery } from '../messages';
import type { CommunityRolloutView } from './get-community-rollout.query';
import type { PageReply } from './list-state-rollouts.query';
import { COMMUNITY_ROLLOUT_STATUSES, type CommunityRolloutStatus } from './rollout-statuses';
import { StateRolloutTargetQuery } from './state-rollout-target.dto';

/** The community rollouts of a state rollout (by id, or the latest of a state), optionally by status. */
export class ListCommunityRollouts extends StateRolloutTargetQuery {
  @IsOptional()
  @IsIn(COMMUNITY_ROLLOUT_STATUSES)
  status?: CommunityRolloutStatus;

  /** Page size, default 100. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;
}

/** Reply of `qry.orchestrator.ListCommunityRollouts`. */
export type ListCommunityRolloutsReply = PageReply<CommunityRolloutView>;

export const ListCommunityRolloutsQuery = defineQuery(
  'orchestrator',
  'ListCommunityRollouts',
  ListCommunityRollouts,
  'Community rollouts of a state rollout, by status.',
);
