import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import { StateCodeInput } from './fields';
import { STATE_ROLLOUT_STATUSES, type StateRolloutStatus } from './rollout-statuses';

/** Lists state rollouts, newest first, optionally of one state or status. */
export class ListStateRollouts extends QueryDto {
  @IsOptional()
  @StateCodeInput()
  stateCode?: string;

  @IsOptional()
  @IsIn(STATE_ROLLOUT_STATUSES)
  status?: StateRolloutStatus;

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

/** One state rollout in a list. */
export interface StateRolloutSummary {
  stateRolloutId: string;
  stateCode: string;
  stateName: string;
  status: StateRolloutStatus;
  totalCommunities: number;
  completedCommunities: number;
  failedCommunities: number;
  progressPercentage: number;
  totalApiCost: string;
  initiatedBy: string;
  startedAt: string | null;
  completedAt: string | null;
}

/** A page of items and the total count matching the filter. */
export interface PageReply<T> {
  items: T[];
  total: number;
}

/** Reply of `qry.orchestrator.ListStateRollouts`. */
export type ListStateRolloutsReply = PageReply<StateRolloutSummary>;

export const ListStateRolloutsQuery = defineQuery(
  'orchestrator',
  'ListStateRollouts',
  ListStateRollouts,
  'State rollouts, newest first, by state or status.',
);
