import type {
  CommunityCountersDto,
  CommunityCounterName,
  Phase,
  PhaseErrorDto,
} from '@rcp/contracts';
import { COMMUNITY_COUNTER_NAMES, ERROR_CODES } from '@rcp/contracts';
import { assertNever, InvalidTransitionError } from '@rcp/domain';
import {
  evolveCommunityRollout,
  initialCommunityRolloutState,
  type CommunityFacts,
  type CommunityRef,
  type CommunityRolloutEvent,
  type CommunityRolloutState,
  type Counters,
} from './community-rollout';

/** How failed attempts are retried: at most `maxAttempts` tries per phase, waiting `backoffMs[n]`. */
export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: readonly number[];
}

/** Phase 5: the minimum each counter must reach. */
export type QualityGate = Partial<Record<CommunityCounterName, number>>;

export type CommunityRolloutCommand =
  | { type: 'Queue'; ref: CommunityRef; communityName: string; priority?: number; now: Date }
  | {
      type: 'Dispatch';
      community: CommunityFacts;
      skipEnrichment: boolean;
      gate: QualityGate;
      deadlineMs: number;
      now: Date;
    }
  | {
      type: 'RecordPhaseCompleted';
      phase: Phase;
      attempt: number;
      counters: CommunityCountersDto;
      gate: QualityGate;
      apiCostEstimate: string;
      deadlineMs: number;
      now: Date;
    }
  | {
      type: 'RecordPhaseFailed';
      phase: Phase;
      attempt: number;
      error: PhaseErrorDto;
      retryable: boolean;
      policy: RetryPolicy;
      now: Date;
    }
  | {
      type: 'TimeOutPhase';
      phase: Phase;
      attempt: number;
      deadline: string;
      policy: RetryPolicy;
      now: Date;
    }
  | { type: 'RetryPhase'; phase: Phase; attempt: number; deadlineMs: number; now: Date }
  | { type: 'Pause'; reason?: string; now: Date }
  | { type: 'Requeue'; now: Date };

type Events = CommunityRolloutEvent[];

export const NO_LOCATION = 'NO_LOCATION';
export const QUALITY_GATE_FAILED = 'QUALITY_GATE_FAILED';
export const PHASE_TIMEOUT = 'PHASE_TIMEOUT';

function ref(state: CommunityRolloutState): CommunityRef {
  if (!state.ref) throw new InvalidTransitionError('community rollout does not exist');
  return state.ref;
}

function request(
  state: CommunityRolloutState,
  phase: Phase,
  deadlineMs: number,
  now: Date,
): CommunityRolloutEvent {
  const community = state.community!;
  return {
    type: 'CommunityPhaseRequested',
    data: {
      ...ref(state),
      phase,
      attempt: state.attempts[phase] + 1,
      deadline: new Date(now.getTime() + deadlineMs).toISOString(),
      communityName: community.name,
      latitude: community.latitude,
      longitude: community.longitude,
      population: community.population,
      county: community.county,
      skipEnrichment: state.skipEnrichment,
      requestedAt: now.toISOString(),
    },
  };
}

function fail(
  state: CommunityRolloutState,
  phase: Phase,
  error: PhaseErrorDto,
  now: Date,
): CommunityRolloutEvent {
  return {
    type: 'CommunityRolloutFailed',
    data: {
      ...ref(state),
      phase,
      error,
      retryCount: state.retryCount,
      failedAt: now.toISOString(),
    },
  };
}

function queue(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'Queue' }>,
): Events {
  if (state.status !== 'new') return [];
  return [
    {
      type: 'CommunityRolloutQueued',
      data: {
        ...c.ref,
        communityName: c.communityName,
        priority: c.priority,
        queuedAt: c.now.toISOString(),
      },
    },
  ];
}

function dispatch(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'Dispatch' }>,
): Events {
  if (state.status !== 'queued')
    throw new InvalidTransitionError(`cannot dispatch a community that is ${state.status}`);
  if (c.community.latitude === null || c.community.longitude === null) {
    return [
      fail(
        state,
        1,
        { code: NO_LOCATION, message: `community ${c.community.name} has no location` },
        c.now,
      ),
    ];
  }
  const next = { ...state, community: c.community, skipEnrichment: c.skipEnrichment };
  // Phase 5 is ours: a community queued again after failing the gate is checked again at once.
  if (state.currentPhase === 5)
    return qualityGate(next, next.counters, c.gate, c.deadlineMs, c.now);
  return [request(next, Math.max(state.currentPhase, 1) as Phase, c.deadlineMs, c.now)];
}

/** Phase 5 is the orchestrator's own: check the counters, then ask for phase 6 or fail. */
function qualityGate(
  state: CommunityRolloutState,
  counters: Counters,
  gate: QualityGate,
  deadlineMs: number,
  now: Date,
): Events {
  const failures = COMMUNITY_COUNTER_NAMES.filter((name) => counters[name] < (gate[name] ?? 0)).map(
    (counter) => ({ counter, actual: counters[counter], minimum: gate[counter]! }),
  );
  const checked: CommunityRolloutEvent = {
    type: 'CommunityQualityGateChecked',
    data: { ...ref(state), passed: failures.length === 0, failures, checkedAt: now.toISOString() },
  };
  if (failures.length > 0) {
    const message = failures.map((f) => `${f.counter} ${f.actual} < ${f.minimum}`).join(', ');
    return [
      checked,
      fail(
        state,
        5,
        { code: QUALITY_GATE_FAILED, message: `quality gate failed: ${message}` },
        now,
      ),
    ];
  }
  return [checked, request(state, 6, deadlineMs, now)];
}

function afterPhase(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'RecordPhaseCompleted' }>,
  accepted: CommunityRolloutEvent,
): Events {
  const next = evolveCommunityRollout(state, accepted);
  const { now, deadlineMs } = c;
  switch (c.phase) {
    case 1:
    case 2:
      return [request(next, (c.phase + 1) as Phase, deadlineMs, now)];
    case 3:
      if (!state.skipEnrichment) return [request(next, 4, deadlineMs, now)];
      return [
        {
          type: 'CommunityPhaseSkipped',
          data: { ...ref(state), phase: 4, reason: 'skipEnrichment', skippedAt: now.toISOString() },
        },
        ...qualityGate(next, next.counters, c.gate, deadlineMs, now),
      ];
    case 4:
    case 5:
      return qualityGate(next, next.counters, c.gate, deadlineMs, now);
    case 6:
      return [
        {
          type: 'CommunityRolloutCompleted',
          data: {
            ...ref(state),
            counters: next.counters,
            apiCostEstimate: c.apiCostEstimate,
            retryCount: state.retryCount,
            completedAt: now.toISOString(),
          },
        },
      ];
    default:
      return assertNever(c.phase);
  }
}

function recordCompleted(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'RecordPhaseCompleted' }>,
): Events {
  if (!awaited(state, c.phase, c.attempt)) return [];
  const accepted: CommunityRolloutEvent = {
    type: 'CommunityPhaseAccepted',
    data: {
      ...ref(state),
      phase: c.phase,
      attempt: c.attempt,
      counters: c.counters,
      acceptedAt: c.now.toISOString(),
    },
  };
  return [accepted, ...afterPhase(state, c, accepted)];
}

function retryOrFail(
  state: CommunityRolloutState,
  phase: Phase,
  attempt: number,
  error: PhaseErrorDto,
  retryable: boolean,
  policy: RetryPolicy,
  now: Date,
): Events {
  if (!retryable || state.failures[phase] + 1 >= policy.maxAttempts) {
    return [fail({ ...state, retryCount: state.retryCount }, phase, error, now)];
  }
  const retryCount = state.retryCount + 1;
  const delayMs =
    policy.backoffMs[Math.min(state.failures[phase], policy.backoffMs.length - 1)] ?? 0;
  const retryAt = new Date(now.getTime() + delayMs).toISOString();
  return [
    {
      type: 'CommunityRetryScheduled',
      data: {
        ...ref(state),
        phase,
        failedAttempt: attempt,
        retryCount,
        delayMs,
        retryAt,
        error,
        scheduledAt: now.toISOString(),
      },
    },
  ];
}

function recordFailed(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'RecordPhaseFailed' }>,
): Events {
  if (!awaited(state, c.phase, c.attempt)) return [];
  if (c.error.code === ERROR_CODES.QUOTA_EXCEEDED) {
    return [
      {
        type: 'CommunityRolloutPaused',
        data: {
          ...ref(state),
          reason: `phase ${c.phase}: ${c.error.message}`,
          pausedAt: c.now.toISOString(),
        },
      },
    ];
  }
  return retryOrFail(state, c.phase, c.attempt, c.error, c.retryable, c.policy, c.now);
}

function timeOut(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'TimeOutPhase' }>,
): Events {
  if (!awaited(state, c.phase, c.attempt)) return [];
  const timedOut: CommunityRolloutEvent = {
    type: 'CommunityPhaseTimedOut',
    data: {
      ...ref(state),
      phase: c.phase,
      attempt: c.attempt,
      deadline: c.deadline,
      timedOutAt: c.now.toISOString(),
    },
  };
  const error = {
    code: PHASE_TIMEOUT,
    message: `no answer to phase ${c.phase} attempt ${c.attempt} by ${c.deadline}`,
  };
  return [timedOut, ...retryOrFail(state, c.phase, c.attempt, error, true, c.policy, c.now)];
}

function retry(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'RetryPhase' }>,
): Events {
  const pending = state.retryPending;
  if (!pending || pending.phase !== c.phase || pending.attempt !== c.attempt) return [];
  return [request(state, c.phase, c.deadlineMs, c.now)];
}

function pause(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'Pause' }>,
): Events {
  if (state.status !== 'queued') return [];
  return [
    {
      type: 'CommunityRolloutPaused',
      data: { ...ref(state), reason: c.reason, pausedAt: c.now.toISOString() },
    },
  ];
}

function requeue(
  state: CommunityRolloutState,
  c: Extract<CommunityRolloutCommand, { type: 'Requeue' }>,
): Events {
  if (state.status !== 'paused' && state.status !== 'failed')
    throw new InvalidTransitionError(`cannot queue a community that is ${state.status}`, [
      { field: 'status', message: `community is ${state.status}`, value: state.status },
    ]);
  return [
    {
      type: 'CommunityRolloutQueued',
      data: { ...ref(state), communityName: state.name, queuedAt: c.now.toISOString() },
    },
  ];
}

const awaited = (state: CommunityRolloutState, phase: Phase, attempt: number) =>
  state.awaiting?.phase === phase && state.awaiting.attempt === attempt;

export function decideCommunityRollout(
  command: CommunityRolloutCommand,
  state: CommunityRolloutState,
): Events {
  switch (command.type) {
    case 'Queue':
      return queue(state, command);
    case 'Dispatch':
      return dispatch(state, command);
    case 'RecordPhaseCompleted':
      return recordCompleted(state, command);
    case 'RecordPhaseFailed':
      return recordFailed(state, command);
    case 'TimeOutPhase':
      return timeOut(state, command);
    case 'RetryPhase':
      return retry(state, command);
    case 'Pause':
      return pause(state, command);
    case 'Requeue':
      return requeue(state, command);
    default:
      return assertNever(command);
  }
}

export const communityRolloutDecider = {
  initialState: initialCommunityRolloutState,
  evolve: evolveCommunityRollout,
  decide: decideCommunityRollout,
};
