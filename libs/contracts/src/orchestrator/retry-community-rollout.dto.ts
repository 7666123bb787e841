import { IsUUID } from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { OptionalReason } from './fields';

/**
 * Retries a failed community now: it is queued again with a fresh retry budget and resumes at the
 * phase that failed.
 */
export class RetryCommunityRollout extends CommandDto {
  @IsUUID()
  communityRolloutId!: string;

  @OptionalReason()
  reason?: string;
}

export const RetryCommunityRolloutCommand = defineCommand(
  'orchestrator',
  'RetryCommunityRollout',
  RetryCommunityRollout,
  'Queue a failed community again, resuming at the phase that failed.',
);
