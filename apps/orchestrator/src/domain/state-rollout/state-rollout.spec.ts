import { DomainError } from '@rcp/domain';
import {
  evolveStateRollout,
  initialStateRolloutState,
  type StateRolloutEvent,
} from './state-rollout';
import { decideStateRollout, withDefaults, type StateRolloutCommand } from './state-rollout.decide';

const now = new Date('2026-11-21T12:00:00Z');
const id = '11111111-1111-4111-8111-111111111111';
const started: StateRolloutEvent = {
  type: 'StateRolloutStarted',
  data: {
    stateRolloutId: id,
    stateCode: 'TX',
    stateName: 'Texas',
    totalCommunities: 40,
    settings: withDefaults(),
    initiatedBy: 'ops',
    startedAt: now.toISOString(),
  },
};
const paused = (cause: 'manual' | 'budget_exceeded' = 'manual'): StateRolloutEvent => ({
  type: 'StateRolloutPaused',
  data: { stateRolloutId: id, stateCode: 'TX', cause, pausedAt: now.toISOString() },
});
const completed: StateRolloutEvent = {
  type: 'StateRolloutCompleted',
  data: {
    stateRolloutId: id,
    stateCode: 'TX',
    totalCommunities: 40,
    completedCommunities: 39,
    failedCommunities: 1,
    totalBusinessesDiscovered: 0,
    totalNewsSourcesCreated: 0,
    totalApiCost: '0',
    completedAt: now.toISOString(),
  },
};

const given = (...events: StateRolloutEvent[]) => ({
  when: (command: StateRolloutCommand) => {
    const state = events.reduce(evolveStateRollout, initialStateRolloutState);
    return {
      then: (expected: Array<Partial<StateRolloutEvent>>) =>
        expect(decideStateRollout(command, state)).toEqual(
          expected.map((e) => expect.objectContaining(e)),
        ),
      thenRefuses: (code: string, message?: RegExp) => {
        let error: unknown;
        try {
          decideStateRollout(command, state);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(code);
        if (message) expect((error as DomainError).message).toMatch(message);
      },
    };
  },
});

const start = (
  overrides: Partial<Extract<StateRolloutCommand, { type: 'Start' }>> = {},
): StateRolloutCommand => ({
  type: 'Start',
  stateRolloutId: id,
  stateCode: 'TX',
  stateName: 'Texas',
  communityCount: 40,
  activeRolloutId: null,
  initiatedBy: 'ops',
  now,
  ...overrides,
});

describe('StateRollout decider', () => {
  it('starts with the MISSION defaults filled in', () => {
    given()
      .when(start())
      .then([
        {
          type: 'StateRolloutStarted',
          data: expect.objectContaining({
            totalCommunities: 40,
            settings: {
              batchSize: 5,
              throttleMs: 100,
              skipEnrichment: false,
              priorityCommunities: [],
            },
          }),
        },
      ]);
  });

  it('keeps the given settings over the defaults', () => {
    given()
      .when(start({ settings: { batchSize: 10, skipEnrichment: true, budget: '250.00' } }))
      .then([
        {
          data: expect.objectContaining({
            settings: {
              batchSize: 10,
              throttleMs: 100,
              skipEnrichment: true,
              priorityCommunities: [],
              budget: '250.00',
            },
          }),
        },
      ]);
  });

  it('refuses a second active rollout for TX, naming the active one', () => {
    given()
      .when(start({ activeRolloutId: 'aaaaaaaa-0000-4000-8000-000000000000' }))
      .thenRefuses('ROLLOUT_ALREADY_ACTIVE', /aaaaaaaa-0000-4000-8000-000000000000/);
  });

  it('refuses a state without communities', () =>
    given()
      .when(start({ communityCount: 0 }))
      .thenRefuses('NO_COMMUNITIES'));
  it('refuses to start the same rollout twice', () =>
    given(started).when(start()).thenRefuses('ALREADY_EXISTS'));

  it('pauses an in-progress rollout with its cause and reason', () => {
    given(started)
      .when({ type: 'Pause', cause: 'budget_exceeded', reason: 'spent 10.25', now })
      .then([
        {
          type: 'StateRolloutPaused',
          data: expect.objectContaining({ cause: 'budget_exceeded', reason: 'spent 10.25' }),
        },
      ]);
  });

  it('refuses a manual pause of a paused rollout but ignores an automatic one', () => {
    given(started, paused())
      .when({ type: 'Pause', cause: 'manual', now })
      .thenRefuses('INVALID_TRANSITION');
    given(started, paused()).when({ type: 'Pause', cause: 'quota_exceeded', now }).then([]);
    given(started, completed).when({ type: 'Pause', cause: 'budget_exceeded', now }).then([]);
  });

  it('resumes only a paused rollout, and not while another of the state is active', () => {
    given(started, paused())
      .when({ type: 'Resume', otherActiveRolloutId: null, now })
      .then([{ type: 'StateRolloutResumed' }]);
    given(started)
      .when({ type: 'Resume', otherActiveRolloutId: null, now })
      .thenRefuses('INVALID_TRANSITION');
    given(started, paused())
      .when({ type: 'Resume', otherActiveRolloutId: 'bbbbbbbb-0000-4000-8000-000000000000', now })
      .thenRefuses('ROLLOUT_ALREADY_ACTIVE');
  });

  it('cancels an active or paused rollout, never a finished one', () => {
    given(started)
      .when({ type: 'Cancel', reason: 'wrong state', now })
      .then([
        { type: 'StateRolloutCancelled', data: expect.objectContaining({ reason: 'wrong state' }) },
      ]);
    given(started, paused())
      .when({ type: 'Cancel', now })
      .then([{ type: 'StateRolloutCancelled' }]);
    given(started, completed).when({ type: 'Cancel', now }).thenRefuses('INVALID_TRANSITION');
  });

  it('updates settings with the previous set, and does nothing when nothing changes', () => {
    given(started)
      .when({ type: 'UpdateSettings', changes: { batchSize: 10 }, now })
      .then([
        {
          type: 'StateRolloutSettingsUpdated',
          data: expect.objectContaining({
            settings: expect.objectContaining({ batchSize: 10, throttleMs: 100 }),
            previousSettings: expect.objectContaining({ batchSize: 5 }),
          }),
        },
      ]);
    given(started)
      .when({ type: 'UpdateSettings', changes: { batchSize: 5 }, now })
      .then([]);
    given(started, completed)
      .when({ type: 'UpdateSettings', changes: { batchSize: 9 }, now })
      .thenRefuses('INVALID_TRANSITION');
  });

  it('completes an in-progress or paused rollout once, with its totals', () => {
    const totals = {
      totalCommunities: 40,
      completedCommunities: 39,
      failedCommunities: 1,
      totalBusinessesDiscovered: 700,
      totalNewsSourcesCreated: 12,
      totalApiCost: '13.2400',
    };
    given(started)
      .when({ type: 'Complete', totals, now })
      .then([{ type: 'StateRolloutCompleted', data: expect.objectContaining(totals) }]);
    given(started, paused())
      .when({ type: 'Complete', totals, now })
      .then([{ type: 'StateRolloutCompleted' }]);
    given(started, completed).when({ type: 'Complete', totals, now }).then([]);
  });
});
