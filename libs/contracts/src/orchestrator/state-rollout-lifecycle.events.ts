import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsUUID,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { OptionalReason, StateCodeField } from './fields';
import { DECIMAL_PATTERN, RolloutSettingsDto } from './rollout-settings.dto';
import { PAUSE_CAUSES, type PauseCause } from './rollout-statuses';

/** Fields every state rollout event after `StateRolloutStarted` carries. */
abstract class StateRolloutEventBase {
  @IsUUID()
  stateRolloutId!: string;

  @StateCodeField()
  stateCode!: string;

  @OptionalReason()
  reason?: string;
}

/** A state rollout was paused: nothing new is dispatched; queued communities become paused. */
export class StateRolloutPaused extends StateRolloutEventBase {
  /** `manual` (a command), `budget_exceeded` or `quota_exceeded`. */
  @IsIn(PAUSE_CAUSES)
  cause!: PauseCause;

  @IsISO8601()
  pausedAt!: string;
}

/** A paused state rollout was resumed: paused communities are queued again. */
export class StateRolloutResumed extends StateRolloutEventBase {
  @IsISO8601()
  resumedAt!: string;
}

/** Every community of the rollout ended (completed or failed). */
export class StateRolloutCompleted extends StateRolloutEventBase {
  @IsInt() @Min(0) totalCommunities!: number;
  @IsInt() @Min(0) completedCommunities!: number;
  @IsInt() @Min(0) failedCommunities!: number;
  @IsInt() @Min(0) totalBusinessesDiscovered!: number;
  @IsInt() @Min(0) totalNewsSourcesCreated!: number;

  /** USD, decimal string. */
  @Matches(DECIMAL_PATTERN)
  totalApiCost!: string;

  @IsISO8601()
  completedAt!: string;
}

/** A state rollout was cancelled: no new dispatch; results of running phases are ignored. */
export class StateRolloutCancelled extends StateRolloutEventBase {
  @IsISO8601()
  cancelledAt!: string;
}

/** The settings of a rollout changed; `settings` is the complete new set (defaults filled in). */
export class StateRolloutSettingsUpdated extends StateRolloutEventBase {
  @ValidateNested()
  @Type(() => RolloutSettingsDto)
  settings!: RolloutSettingsDto;

  /** The complete set before the change. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RolloutSettingsDto)
  previousSettings?: RolloutSettingsDto;

  @IsISO8601()
  updatedAt!: string;
}

const aggregateType = 'StateRollout';

export const StateRolloutPausedEvent = defineEvent(
  'orchestrator',
  'StateRolloutPaused',
  StateRolloutPaused,
  {
    aggregateType,
    summary: 'A state rollout was paused (by a person, a budget or a quota).',
  },
);

export const StateRolloutResumedEvent = defineEvent(
  'orchestrator',
  'StateRolloutResumed',
  StateRolloutResumed,
  {
    aggregateType,
    summary: 'A paused state rollout was resumed.',
  },
);

export const StateRolloutCompletedEvent = defineEvent(
  'orchestrator',
  'StateRolloutCompleted',
  StateRolloutCompleted,
  { aggregateType, summary: 'Every community of a state rollout completed or failed.' },
);

export const StateRolloutCancelledEvent = defineEvent(
  'orchestrator',
  'StateRolloutCancelled',
  StateRolloutCancelled,
  { aggregateType, summary: 'A state rollout was cancelled.' },
);

export const StateRolloutSettingsUpdatedEvent = defineEvent(
  'orchestrator',
  'StateRolloutSettingsUpdated',
  StateRolloutSettingsUpdated,
  { aggregateType, summary: 'The settings of a state rollout changed.' },
);
