import { InvalidTransitionError } from '@rcp/domain';
import {
  evolveCommunityRollout,
  initialCommunityRolloutState,
  type CommunityRolloutEvent,
} from './community-rollout';
import { decideCommunityRollout, type CommunityRolloutCommand } from './community-rollout.decide';

const now = new Date('2026-11-21T12:00:00Z');
const ref = {
  communityRolloutId: 'c0000000-0000-4000-8000-000000000001',
  stateRolloutId: 'a0000000-0000-4000-8000-000000000001',
  communityId: 'd0000000-0000-4000-8000-000000000001',
  stateCode: 'RI',
};
const facts = {
  name: 'Newport',
  latitude: 41.49,
  longitude: -71.31,
  population: 24_000,
  county: null,
};
const policy = { maxAttempts: 3, backoffMs: [60_000, 300_000, 900_000] };

const queued: CommunityRolloutEvent = {
  type: 'CommunityRolloutQueued',
  data: { ...ref, communityName: 'Newport', queuedAt: now.toISOString() },
};
const requested = (
  phase: 1 | 2 | 3 | 4 | 6,
  attempt = 1,
  skipEnrichment = false,
): CommunityRolloutEvent => ({
  type: 'CommunityPhaseRequested',
  data: {
    ...ref,
    phase,
    attempt,
    deadline: now.toISOString(),
    communityName: 'Newport',
    latitude: 41.49,
    longitude: -71.31,
    population: 24_000,
    county: null,
    skipEnrichment,
    requestedAt: now.toISOString(),
  },
});
const accepted = (
  phase: 1 | 2 | 3 | 4 | 6,
  attempt = 1,
  businessesDiscovered = 0,
): CommunityRolloutEvent => ({
  type: 'CommunityPhaseAccepted',
  data: {
    ...ref,
    phase,
    attempt,
    counters: { businessesDiscovered },
    acceptedAt: now.toISOString(),
  },
});

function given(...events: CommunityRolloutEvent[]) {
  const state = events.reduce(evolveCommunityRollout, initialCommunityRolloutState);
  return {
    state,
    when: (command: CommunityRolloutCommand) => ({
      then: (...expected: Array<[string, object?]>) => {
        const events = decideCommunityRollout(command, state);
        expect(events.map((e) => e.type)).toEqual(expected.map(([type]) => type));
        expected.forEach(([, data], i) => data && expect(events[i].data).toMatchObject(data));
        return events;
      },
      thenRefuses: () =>
        expect(() => decideCommunityRollout(command, state)).toThrow(InvalidTransitionError),
    }),
  };
}

const completedCmd = (
  phase: 1 | 2 | 3 | 4 | 6,
  attempt = 1,
  counters = {},
  gate = {},
): CommunityRolloutCommand => ({
  type: 'RecordPhaseCompleted',
  phase,
  attempt,
  counters,
  gate,
  apiCostEstimate: '0.0450',
  deadlineMs: 60_000,
  now,
});
const failedCmd = (
  phase: 1 | 2 | 3 | 4 | 6,
  attempt = 1,
  code = 'SITE_DOWN',
  retryable = true,
): CommunityRolloutCommand => ({
  type: 'RecordPhaseFailed',
  phase,
  attempt,
  error: { code, message: 'it broke' },
  retryable,
  policy,
  now,
});

describe('CommunityRollout decider', () => {
  it('queues a new community once', () => {
    given()
      .when({ type: 'Queue', ref, communityName: 'Newport', priority: 0, now })
      .then(['CommunityRolloutQueued', { priority: 0 }]);
    given(queued).when({ type: 'Queue', ref, communityName: 'Newport', now }).then();
  });

  it('dispatches a queued community by requesting phase 1, attempt 1, with a deadline', () => {
    given(queued)
      .when({
        type: 'Dispatch',
        community: facts,
        skipEnrichment: false,
        gate: {},
        deadlineMs: 60_000,
        now,
      })
      .then([
        'CommunityPhaseRequested',
        { phase: 1, attempt: 1, deadline: '2026-11-21T12:01:00.000Z', communityName: 'Newport' },
      ]);
  });

  it('fails a community without a location in phase 1 at once, with that reason', () => {
    given(queued)
      .when({
        type: 'Dispatch',
        community: { ...facts, latitude: null },
        skipEnrichment: false,
        gate: {},
        deadlineMs: 60_000,
        now,
      })
      .then([
        'CommunityRolloutFailed',
        { phase: 1, error: { code: 'NO_LOCATION', message: 'community Newport has no location' } },
      ]);
  });

  it('refuses to dispatch a community that is not queued', () => {
    given(queued, requested(1))
      .when({
        type: 'Dispatch',
        community: facts,
        skipEnrichment: false,
        gate: {},
        deadlineMs: 60_000,
        now,
      })
      .thenRefuses();
  });

  it('moves phase by phase: an accepted answer requests the next phase', () => {
    given(queued, requested(1))
      .when(completedCmd(1, 1, { businessesDiscovered: 12 }))
      .then(
        ['CommunityPhaseAccepted', { counters: { businessesDiscovered: 12 } }],
        ['CommunityPhaseRequested', { phase: 2, attempt: 1 }],
      );
    given(queued, requested(1), accepted(1), requested(2), accepted(2), requested(3))
      .when(completedCmd(3))
      .then(['CommunityPhaseAccepted'], ['CommunityPhaseRequested', { phase: 4 }]);
  });

  it('ignores an answer for another phase or a stale attempt', () => {
    given(queued, requested(1)).when(completedCmd(2)).then();
    given(queued, requested(1, 2)).when(completedCmd(1, 1)).then();
    given(queued, requested(1)).when(failedCmd(1, 2)).then();
  });

  it('skips phase 4 under skipEnrichment and runs the phase-5 gate itself', () => {
    given(
      queued,
      requested(1, 1, true),
      accepted(1, 1, 5),
      requested(2, 1, true),
      accepted(2),
      requested(3, 1, true),
    )
      .when(completedCmd(3, 1, {}, { businessesDiscovered: 1 }))
      .then(
        ['CommunityPhaseAccepted'],
        ['CommunityPhaseSkipped', { phase: 4, reason: 'skipEnrichment' }],
        ['CommunityQualityGateChecked', { passed: true, failures: [] }],
        ['CommunityPhaseRequested', { phase: 6 }],
      );
  });

  it('fails the community when the gate fails, naming the counters that missed', () => {
    given(
      queued,
      requested(1),
      accepted(1, 1, 0),
      requested(2),
      accepted(2),
      requested(3),
      accepted(3),
      requested(4),
    )
      .when(completedCmd(4, 1, {}, { businessesDiscovered: 3 }))
      .then(
        ['CommunityPhaseAccepted'],
        [
          'CommunityQualityGateChecked',
          { passed: false, failures: [{ counter: 'businessesDiscovered', actual: 0, minimum: 3 }] },
        ],
        [
          'CommunityRolloutFailed',
          {
            phase: 5,
            error: {
              code: 'QUALITY_GATE_FAILED',
              message: 'quality gate failed: businessesDiscovered 0 < 3',
            },
          },
        ],
      );
  });

  it('completes after phase 6 with the summed counters and the cost estimate (phase 6 reports phase_6_seeding)', () => {
    const history = [
      queued,
      requested(1),
      accepted(1, 1, 7),
      requested(2),
      accepted(2),
      requested(3),
      accepted(3),
      requested(4),
      accepted(4, 1, 1),
      requested(6),
    ];
    expect(given(...history).state.status).toBe('phase_6_seeding');
    given(...history)
      .when(completedCmd(6))
      .then(
        ['CommunityPhaseAccepted'],
        [
          'CommunityRolloutCompleted',
          {
            counters: expect.objectContaining({ businessesDiscovered: 8 }),
            apiCostEstimate: '0.0450',
            retryCount: 0,
          },
        ],
      );
  });

  it('schedules a retry with backoff 60 s then 300 s, and fails after the third try', () => {
    given(queued, requested(2))
      .when(failedCmd(2))
      .then([
        'CommunityRetryScheduled',
        {
          phase: 2,
          failedAttempt: 1,
          retryCount: 1,
          delayMs: 60_000,
          retryAt: '2026-11-21T12:01:00.000Z',
        },
      ]);
    const once = decideCommunityRollout(failedCmd(2), given(queued, requested(2)).state)[0];
    given(queued, requested(2), once, requested(2, 2))
      .when(failedCmd(2, 2))
      .then(['CommunityRetryScheduled', { failedAttempt: 2, retryCount: 2, delayMs: 300_000 }]);
    const twice = decideCommunityRollout(
      failedCmd(2, 2),
      given(queued, requested(2), once, requested(2, 2)).state,
    )[0];
    given(queued, requested(2), once, requested(2, 2), twice, requested(2, 3))
      .when(failedCmd(2, 3))
      .then([
        'CommunityRolloutFailed',
        { phase: 2, retryCount: 2, error: { code: 'SITE_DOWN', message: 'it broke' } },
      ]);
  });

  it('fails at once on an error that is not retryable', () => {
    given(queued, requested(3))
      .when(failedCmd(3, 1, 'FEED_GONE', false))
      .then(['CommunityRolloutFailed', { phase: 3 }]);
  });

  it('pauses the community (not failed, not retried) when its phase hits QUOTA_EXCEEDED', () => {
    const events = given(queued, requested(1))
      .when(failedCmd(1, 1, 'QUOTA_EXCEEDED', false))
      .then(['CommunityRolloutPaused']);
    expect(evolveCommunityRollout(given(queued, requested(1)).state, events[0]).phases[1]).toBe(
      'failed',
    );
  });

  it('retries the failed attempt when its timer fires, once', () => {
    const retry = decideCommunityRollout(failedCmd(2), given(queued, requested(2)).state)[0];
    given(queued, requested(2), retry)
      .when({ type: 'RetryPhase', phase: 2, attempt: 1, deadlineMs: 60_000, now })
      .then(['CommunityPhaseRequested', { phase: 2, attempt: 2 }]);
    given(queued, requested(2), retry, requested(2, 2))
      .when({ type: 'RetryPhase', phase: 2, attempt: 1, deadlineMs: 60_000, now })
      .then();
  });

  it('counts a missed deadline as a failed attempt, and ignores a deadline already answered', () => {
    given(queued, requested(1))
      .when({
        type: 'TimeOutPhase',
        phase: 1,
        attempt: 1,
        deadline: now.toISOString(),
        policy,
        now,
      })
      .then(
        ['CommunityPhaseTimedOut'],
        [
          'CommunityRetryScheduled',
          {
            error: {
              code: 'PHASE_TIMEOUT',
              message: expect.stringContaining('no answer to phase 1'),
            },
          },
        ],
      );
    given(queued, requested(1), accepted(1), requested(2))
      .when({
        type: 'TimeOutPhase',
        phase: 1,
        attempt: 1,
        deadline: now.toISOString(),
        policy,
        now,
      })
      .then();
  });

  it('pauses only a queued community, and queues a paused or failed one again where it stopped', () => {
    given(queued)
      .when({ type: 'Pause', reason: 'maintenance', now })
      .then(['CommunityRolloutPaused', { reason: 'maintenance' }]);
    given(queued, requested(1)).when({ type: 'Pause', now }).then();
    const pausedEvent: CommunityRolloutEvent = {
      type: 'CommunityRolloutPaused',
      data: { ...ref, pausedAt: now.toISOString() },
    };
    given(queued, requested(1), accepted(1), requested(2), pausedEvent)
      .when({ type: 'Requeue', now })
      .then(['CommunityRolloutQueued', { communityName: 'Newport' }]);
    const state = [queued, requested(1), accepted(1), requested(2), pausedEvent, queued].reduce(
      evolveCommunityRollout,
      initialCommunityRolloutState,
    );
    expect(
      decideCommunityRollout(
        { type: 'Dispatch', community: facts, skipEnrichment: false, gate: {}, deadlineMs: 1, now },
        state,
      )[0].data,
    ).toMatchObject({ phase: 2, attempt: 2 });
    given(queued, requested(1)).when({ type: 'Requeue', now }).thenRefuses();
  });
});
