import { IsUUID } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import type { CommunityCountersDto } from './community-phase.dto';
import type { CommunityRolloutStatus, PhaseStatus } from './rollout-statuses';

/** One community rollout with its phases, counters, cost and error log. */
export class GetCommunityRollout extends QueryDto {
  @IsUUID()
  communityRolloutId!: string;
}

/** One phase of a community rollout. */
export interface CommunityPhaseView {
  phase: number;
  status: PhaseStatus;
  startedAt: string | null;
  completedAt: string | null;
}

/** One entry of a community's error log. */
export interface CommunityErrorLogEntry {
  phase: number;
  attempt: number;
  code: string;
  error: string;
  at: string;
}

/** Reply of `qry.orchestrator.GetCommunityRollout` (also the items of `ListCommunityRollouts`). */
export interface CommunityRolloutView {
  communityRolloutId: string;
  stateRolloutId: string;
  communityId: string;
  communityName: string;
  stateCode: string;
  status: CommunityRolloutStatus;
  /** 0 before phase 1 starts, then 1–6. */
  currentPhase: number;
  phases: CommunityPhaseView[];
  counters: Required<CommunityCountersDto>;
  apiCostEstimate: string;
  retryCount: number;
  errorLog: CommunityErrorLogEntry[];
  /** When the next retry fires, while one is scheduled. */
  nextRetryAt: string | null;
}

export const GetCommunityRolloutQuery = defineQuery(
  'orchestrator',
  'GetCommunityRollout',
  GetCommunityRollout,
  'One community rollout: phases, counters, cost, retries and error log.',
);
