import { defineQuery } from '../messages';
import type { RolloutSettingsDto } from './rollout-settings.dto';
import type { CommunityRolloutStatus, PhaseStatus, StateRolloutStatus } from './rollout-statuses';
import { StateRolloutTargetQuery } from './state-rollout-target.dto';

/** Progress of one state rollout: by `stateRolloutId`, or the latest rollout of `stateCode`. */
export class GetStateProgress extends StateRolloutTargetQuery {}

/** Reply of `qry.orchestrator.GetStateProgress`. Money fields are decimal strings. */
export interface StateProgressReply {
  stateRolloutId: string;
  stateCode: string;
  stateName: string;
  status: StateRolloutStatus;
  /** completed ÷ total × 100, one decimal. */
  progressPercentage: number;
  totalCommunities: number;
  completedCommunities: number;
  failedCommunities: number;
  /** Communities per status (every status present, 0 when none). */
  statusBreakdown: Record<CommunityRolloutStatus, number>;
  /** Per phase `"1"`…`"6"`: communities per phase status. */
  phaseBreakdown: Record<string, Record<PhaseStatus, number>>;
  totalBusinessesDiscovered: number;
  totalNewsSourcesCreated: number;
  totalApiCost: string;
  /** Average cost per completed community × remaining; "34.00" per community before any completes. */
  estimatedRemainingCost: string;
  settings: RolloutSettingsDto;
  initiatedBy: string;
  startedAt: string | null;
  completedAt: string | null;
  /** Why it is paused or cancelled, when it is. */
  statusReason: string | null;
}

export const GetStateProgressQuery = defineQuery(
  'orchestrator',
  'GetStateProgress',
  GetStateProgress,
  'Progress, breakdowns, totals and cost of a state rollout.',
);
