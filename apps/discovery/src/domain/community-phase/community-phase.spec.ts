import {
  evolveCommunityPhase,
  initialCommunityPhaseState,
  type CommunityPhaseEvent,
} from './community-phase';
import {
  decideCommunityPhase,
  type CommunityPhaseCommand,
  type PhaseRequestRef,
} from './community-phase.decide';

const request: PhaseRequestRef = {
  communityRolloutId: '7d4f1c1e-56c8-4a43-9a77-1f0e7f1e2b01',
  stateRolloutId: '9a7c2f4e-8f55-4cbb-a7e6-6d3f1f8c0c02',
  communityId: '2b8e1f0a-1c3d-4e5f-8a9b-0c1d2e3f4a03',
  stateCode: 'TX',
  phase: 1,
  attempt: 1,
  deadline: '2026-06-01T12:10:00.000Z',
};
const now = new Date('2026-06-01T12:05:00.000Z');
const complete: CommunityPhaseCommand = {
  type: 'CompletePhase',
  request,
  now,
  durationMs: 1200,
  counters: { businessesDiscovered: 42 },
  warnings: [],
};
const given = (events: CommunityPhaseEvent[]) =>
  events.reduce(evolveCommunityPhase, initialCommunityPhaseState);

describe('community phase answers', () => {
  it('completes a requested phase with its counters', () => {
    expect(decideCommunityPhase(complete, given([]))).toEqual([
      {
        type: 'CommunityPhaseCompleted',
        data: expect.objectContaining({
          phase: 1,
          attempt: 1,
          counters: { businessesDiscovered: 42 },
          completedAt: now.toISOString(),
          durationMs: 1200,
        }),
      },
    ]);
  });

  it('answers a (phase, attempt) only once', () => {
    const history = decideCommunityPhase(complete, given([]));
    expect(decideCommunityPhase(complete, given(history))).toEqual([]);
    expect(
      decideCommunityPhase({ ...complete, request: { ...request, attempt: 2 } }, given(history)),
    ).toHaveLength(1);
  });

  it('turns a completion after the deadline into a retryable DEADLINE_EXCEEDED failure', () => {
    const [event] = decideCommunityPhase(
      { ...complete, now: new Date('2026-06-01T12:11:00.000Z') },
      given([]),
    );
    expect(event).toMatchObject({
      type: 'CommunityPhaseFailed',
      data: {
        retryable: true,
        error: { code: 'DEADLINE_EXCEEDED' },
        counters: { businessesDiscovered: 42 },
      },
    });
  });

  it('reports a failure as given, e.g. NO_LOCATION not retryable', () => {
    const [event] = decideCommunityPhase(
      {
        type: 'FailPhase',
        request,
        now,
        durationMs: 0,
        error: { code: 'NO_LOCATION', message: 'no location' },
        retryable: false,
      },
      given([]),
    );
    expect(event).toMatchObject({
      type: 'CommunityPhaseFailed',
      data: { retryable: false, error: { code: 'NO_LOCATION' }, failedAt: now.toISOString() },
    });
  });
});
