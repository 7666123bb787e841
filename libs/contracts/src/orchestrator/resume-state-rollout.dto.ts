import { defineCommand } from '../messages';
import { StateRolloutTargetCommand } from './state-rollout-target.dto';

/** Resumes a state rollout. Paused communities are queued again and dispatch restarts. */
export class ResumeStateRollout extends StateRolloutTargetCommand {}

export const ResumeStateRolloutCommand = defineCommand(
  'orchestrator',
  'ResumeStateRollout',
  ResumeStateRollout,
  'Resume a state rollout. Paused communities are queued again and dispatch restarts.',
);
