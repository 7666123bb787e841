import type { PauseCause, RolloutSettingsDto } from '@rcp/contracts';
import { ERROR_CODES, ROLLOUT_SETTING_DEFAULTS } from '@rcp/contracts';
import { assertNever, DomainError, InvalidTransitionError } from '@rcp/domain';
import {
  evolveStateRollout,
  initialStateRolloutState,
  type RolloutSettings,
  type StateRolloutEvent,
  type StateRolloutState,
} from './state-rollout';

export interface RolloutTotals {
  totalCommunities: number;
  completedCommunities: number;
  failedCommunities: number;
  totalBusinessesDiscovered: number;
  totalNewsSourcesCreated: number;
  totalApiCost: string;
}

export type StateRolloutCommand =
  | {
      type: 'Start';
      stateRolloutId: string;
      stateCode: string;
      stateName: string;
      settings?: RolloutSettingsDto;
      communityCount: number;
      activeRolloutId: string | null;
      initiatedBy: string;
      now: Date;
    }
  | { type: 'Pause'; cause: PauseCause; reason?: string; now: Date }
  | { type: 'Resume'; reason?: string; otherActiveRolloutId: string | null; now: Date }
  | { type: 'Cancel'; reason?: string; now: Date }
  | { type: 'UpdateSettings'; changes: RolloutSettingsDto; reason?: string; now: Date }
  | { type: 'Complete'; totals: RolloutTotals; now: Date };

type Events = StateRolloutEvent[];

/** Fills in the defaults of MISSION.md: batch 5, throttle 100 ms, no skip, no priorities. */
export function withDefaults(settings: RolloutSettingsDto = {}): RolloutSettings {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return {
    ...ROLLOUT_SETTING_DEFAULTS,
    priorityCommunities: [...ROLLOUT_SETTING_DEFAULTS.priorityCommunities],
    ...defined,
  } as RolloutSettings;
}

function ids(state: StateRolloutState) {
  if (!state.stateRolloutId || !state.stateCode)
    throw new DomainError(ERROR_CODES.NOT_FOUND, 'state rollout not found');
  return { stateRolloutId: state.stateRolloutId, stateCode: state.stateCode };
}

function refuse(state: StateRolloutState, action: string): never {
  throw new InvalidTransitionError(`cannot ${action} a rollout that is ${state.status}`, [
    { field: 'status', message: `rollout is ${state.status}`, value: state.status },
  ]);
}

function start(
  state: StateRolloutState,
  c: Extract<StateRolloutCommand, { type: 'Start' }>,
): Events {
  if (state.status !== 'new')
    throw new DomainError(
      ERROR_CODES.ALREADY_EXISTS,
      `state rollout ${c.stateRolloutId} already exists`,
    );
  if (c.activeRolloutId) {
    throw new DomainError(
      ERROR_CODES.ROLLOUT_ALREADY_ACTIVE,
      `${c.stateCode} already has an active rollout: ${c.activeRolloutId}`,
      [
        {
          field: 'stateCode',
          message: 'a planned or in-progress rollout exists',
          value: c.activeRolloutId,
        },
      ],
    );
  }
  if (c.communityCount === 0)
    throw new DomainError(
      ERROR_CODES.NO_COMMUNITIES,
      `no communities found for state ${c.stateCode}`,
      [
        {
          field: 'stateCode',
          message: 'the registry has no community in this state',
          value: c.stateCode,
        },
      ],
    );
  const data = {
    stateRolloutId: c.stateRolloutId,
    stateCode: c.stateCode,
    stateName: c.stateName,
    totalCommunities: c.communityCount,
    settings: withDefaults(c.settings),
    initiatedBy: c.initiatedBy,
    startedAt: c.now.toISOString(),
  };
  return [{ type: 'StateRolloutStarted', data }];
}

function pause(
  state: StateRolloutState,
  c: Extract<StateRolloutCommand, { type: 'Pause' }>,
): Events {
  const pausable = state.status === 'in_progress' || state.status === 'planned';
  if (!pausable) return c.cause === 'manual' ? refuse(state, 'pause') : [];
  return [
    {
      type: 'StateRolloutPaused',
      data: { ...ids(state), cause: c.cause, reason: c.reason, pausedAt: c.now.toISOString() },
    },
  ];
}

function resume(
  state: StateRolloutState,
  c: Extract<StateRolloutCommand, { type: 'Resume' }>,
): Events {
  if (state.status !== 'paused') refuse(state, 'resume');
  if (c.otherActiveRolloutId) {
    throw new DomainError(
      ERROR_CODES.ROLLOUT_ALREADY_ACTIVE,
      `${state.stateCode} already has an active rollout: ${c.otherActiveRolloutId}`,
      [
        {
          field: 'stateCode',
          message: 'another rollout of this state is active',
          value: c.otherActiveRolloutId,
        },
      ],
    );
  }
  return [
    {
      type: 'StateRolloutResumed',
      data: { ...ids(state), reason: c.reason, resumedAt: c.now.toISOString() },
    },
  ];
}

function cancel(
  state: StateRolloutState,
  c: Extract<StateRolloutCommand, { type: 'Cancel' }>,
): Events {
  if (!['planned', 'in_progress', 'paused'].includes(state.status)) refuse(state, 'cancel');
  return [
    {
      type: 'StateRolloutCancelled',
      data: { ...ids(state), reason: c.reason, cancelledAt: c.now.toISOString() },
    },
  ];
}

function updateSettings(
  state: StateRolloutState,
  c: Extract<StateRolloutCommand, { type: 'UpdateSettings' }>,
): Events {
  if (!['planned', 'in_progress', 'paused'].includes(state.status))
    refuse(state, 'change the settings of');
  const previous = state.settings!;
  const settings = withDefaults({
    ...previous,
    ...Object.fromEntries(Object.entries(c.changes).filter(([, v]) => v !== undefined)),
  });
  if (JSON.stringify(settings) === JSON.stringify(previous)) return [];
  return [
    {
      type: 'StateRolloutSettingsUpdated',
      data: {
        ...ids(state),
        reason: c.reason,
        settings,
        previousSettings: previous,
        updatedAt: c.now.toISOString(),
      },
    },
  ];
}

function complete(
  state: StateRolloutState,
  c: Extract<StateRolloutCommand, { type: 'Complete' }>,
): Events {
  if (state.status !== 'in_progress' && state.status !== 'paused') return [];
  return [
    {
      type: 'StateRolloutCompleted',
      data: { ...ids(state), ...c.totals, completedAt: c.now.toISOString() },
    },
  ];
}

export function decideStateRollout(command: StateRolloutCommand, state: StateRolloutState): Events {
  switch (command.type) {
    case 'Start':
      return start(state, command);
    case 'Pause':
      return pause(state, command);
    case 'Resume':
      return resume(state, command);
    case 'Cancel':
      return cancel(state, command);
    case 'UpdateSettings':
      return updateSettings(state, command);
    case 'Complete':
      return complete(state, command);
    default:
      return assertNever(command);
  }
}

export const stateRolloutDecider = {
  initialState: initialStateRolloutState,
  evolve: evolveStateRollout,
  decide: decideStateRollout,
};
