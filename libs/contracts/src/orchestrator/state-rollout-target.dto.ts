import { IsUUID, ValidateIf } from 'class-validator';
import { CommandDto, QueryDto } from '../messages';
import { OptionalReason, StateCodeInput } from './fields';

const needsStateCode = (o: { stateCode?: unknown; stateRolloutId?: unknown }) =>
  o.stateRolloutId == null || o.stateCode != null;
const needsRolloutId = (o: { stateCode?: unknown; stateRolloutId?: unknown }) =>
  o.stateCode == null || o.stateRolloutId != null;

/**
 * A command on one state rollout, named by `stateCode` (its latest rollout) or by `stateRolloutId`.
 * At least one is required; when both are given they must agree.
 */
export abstract class StateRolloutTargetCommand extends CommandDto {
  /** Two-letter state code; the command applies to the state's latest rollout. */
  @ValidateIf(needsStateCode)
  @StateCodeInput()
  stateCode?: string;

  @ValidateIf(needsRolloutId)
  @IsUUID()
  stateRolloutId?: string;

  /** Why, for people (kept on the event). */
  @OptionalReason()
  reason?: string;
}

/** A query on one state rollout, by `stateCode` (its latest rollout) or `stateRolloutId`. */
export abstract class StateRolloutTargetQuery extends QueryDto {
  @ValidateIf(needsStateCode)
  @StateCodeInput()
  stateCode?: string;

  @ValidateIf(needsRolloutId)
  @IsUUID()
  stateRolloutId?: string;
}
