import { Type } from 'class-transformer';
import { IsInt, IsISO8601, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../messages';
import { PhaseErrorDto } from './community-phase.dto';
import { CommunityRolloutRef } from './community-rollout-ref.dto';
import { OptionalReason, PhaseField } from './fields';
import type { Phase } from './rollout-statuses';

/** A queued community was paused because its state rollout was paused. */
export class CommunityRolloutPaused extends CommunityRolloutRef {
  @OptionalReason()
  reason?: string;

  @IsISO8601()
  pausedAt!: string;
}

/**
 * A failed phase attempt will be retried: a durable timer requests the phase again at `retryAt`
 * (backoff 60 s, 300 s, 900 s by default).
 */
export class CommunityRetryScheduled extends CommunityRolloutRef {
  @PhaseField()
  phase!: Phase;

  /** The attempt that failed. */
  @IsInt()
  @Min(1)
  failedAttempt!: number;

  /** Retries so far, this one included. */
  @IsInt()
  @Min(1)
  retryCount!: number;

  @IsInt()
  @Min(0)
  delayMs!: number;

  @IsISO8601()
  retryAt!: string;

  @ValidateNested()
  @Type(() => PhaseErrorDto)
  error!: PhaseErrorDto;

  @IsISO8601()
  scheduledAt!: string;
}

/** A phase was skipped (phase 4 under `skipEnrichment`). */
export class CommunityPhaseSkipped extends CommunityRolloutRef {
  @PhaseField()
  phase!: Phase;

  @OptionalReason()
  reason?: string;

  @IsISO8601()
  skippedAt!: string;
}

/** No answer to a phase request arrived before its deadline: the attempt counts as failed. */
export class CommunityPhaseTimedOut extends CommunityRolloutRef {
  @PhaseField()
  phase!: Phase;

  @IsInt()
  @Min(1)
  attempt!: number;

  @IsISO8601()
  deadline!: string;

  @IsISO8601()
  timedOutAt!: string;
}

const aggregateType = 'CommunityRollout';

export const CommunityRolloutPausedEvent = defineEvent(
  'orchestrator',
  'CommunityRolloutPaused',
  CommunityRolloutPaused,
  { aggregateType, summary: 'A queued community was paused with its state rollout.' },
);

export const CommunityRetryScheduledEvent = defineEvent(
  'orchestrator',
  'CommunityRetryScheduled',
  CommunityRetryScheduled,
  { aggregateType, summary: 'A failed phase attempt will be retried after a backoff.' },
);

export const CommunityPhaseSkippedEvent = defineEvent(
  'orchestrator',
  'CommunityPhaseSkipped',
  CommunityPhaseSkipped,
  { aggregateType, summary: 'A phase was skipped (enrichment under skipEnrichment).' },
);

export const CommunityPhaseTimedOutEvent = defineEvent(
  'orchestrator',
  'CommunityPhaseTimedOut',
  CommunityPhaseTimedOut,
  { aggregateType, summary: 'A phase request passed its deadline unanswered.' },
);
