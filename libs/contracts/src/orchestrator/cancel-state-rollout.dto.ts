import { defineCommand } from '../messages';
import { StateRolloutTargetCommand } from './state-rollout-target.dto';

/** Cancels a state rollout. No new dispatch; the rollout ends as cancelled. Running phases finish and are ignored. */
export class CancelStateRollout extends StateRolloutTargetCommand {}

export const CancelStateRolloutCommand = defineCommand(
  'orchestrator',
  'CancelStateRollout',
  CancelStateRollout,
  'Cancel a state rollout. No new dispatch; the rollout ends as cancelled. Running phases finish and are ignored.',
);
