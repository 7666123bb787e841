import { defineCommand } from '../messages';
import { StateRolloutTargetCommand } from './state-rollout-target.dto';

/** Pauses a state rollout. Running communities finish; queued ones become paused; nothing new is dispatched. */
export class PauseStateRollout extends StateRolloutTargetCommand {}

export const PauseStateRolloutCommand = defineCommand(
  'orchestrator',
  'PauseStateRollout',
  PauseStateRollout,
  'Pause a state rollout. Running communities finish; queued ones become paused; nothing new is dispatched.',
);
