import type {
  PauseCause,
  RolloutSettingsDto,
  StateRolloutCancelled,
  StateRolloutCompleted,
  StateRolloutPaused,
  StateRolloutResumed,
  StateRolloutSettingsUpdated,
  StateRolloutStarted,
  StateRolloutStatus,
} from '@rcp/contracts';
import { assertNever } from '@rcp/domain';

export type StateRolloutEvent =
  | { type: 'StateRolloutStarted'; data: StateRolloutStarted }
  | { type: 'StateRolloutPaused'; data: StateRolloutPaused }
  | { type: 'StateRolloutResumed'; data: StateRolloutResumed }
  | { type: 'StateRolloutCancelled'; data: StateRolloutCancelled }
  | { type: 'StateRolloutSettingsUpdated'; data: StateRolloutSettingsUpdated }
  | { type: 'StateRolloutCompleted'; data: StateRolloutCompleted };

/** Settings with every default filled in. */
export type RolloutSettings = Required<
  Pick<RolloutSettingsDto, 'batchSize' | 'throttleMs' | 'skipEnrichment' | 'priorityCommunities'>
> &
  Pick<RolloutSettingsDto, 'concurrentCommunities' | 'budget'>;

export interface StateRolloutState {
  status: 'new' | StateRolloutStatus;
  stateRolloutId: string | null;
  stateCode: string | null;
  settings: RolloutSettings | null;
  pauseCause: PauseCause | null;
}

export const initialStateRolloutState: StateRolloutState = {
  status: 'new',
  stateRolloutId: null,
  stateCode: null,
  settings: null,
  pauseCause: null,
};

export function evolveStateRollout(
  state: StateRolloutState,
  event: StateRolloutEvent,
): StateRolloutState {
  switch (event.type) {
    case 'StateRolloutStarted':
      return {
        ...state,
        status: 'in_progress',
        stateRolloutId: event.data.stateRolloutId,
        stateCode: event.data.stateCode,
        settings: event.data.settings as RolloutSettings,
      };
    case 'StateRolloutPaused':
      return { ...state, status: 'paused', pauseCause: event.data.cause };
    case 'StateRolloutResumed':
      return { ...state, status: 'in_progress', pauseCause: null };
    case 'StateRolloutCancelled':
      return { ...state, status: 'cancelled' };
    case 'StateRolloutSettingsUpdated':
      return { ...state, settings: event.data.settings as RolloutSettings };
    case 'StateRolloutCompleted':
      return { ...state, status: 'completed' };
    default:
      return assertNever(event);
  }
}
