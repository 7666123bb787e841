import type {
  CommunityCountersDto,
  CommunityPhaseAccepted,
  CommunityPhaseRequested,
  CommunityPhaseSkipped,
  CommunityPhaseTimedOut,
  CommunityQualityGateChecked,
  CommunityRetryScheduled,
  CommunityRolloutCompleted,
  CommunityRolloutFailed,
  CommunityRolloutPaused,
  CommunityRolloutQueued,
  CommunityRolloutStatus,
  Phase,
  PhaseStatus,
} from '@rcp/contracts';
import { COMMUNITY_COUNTER_NAMES, phaseStatusOf } from '@rcp/contracts';
import { assertNever } from '@rcp/domain';

export type CommunityRolloutEvent =
  | { type: 'CommunityRolloutQueued'; data: CommunityRolloutQueued }
  | { type: 'CommunityPhaseRequested'; data: CommunityPhaseRequested }
  | { type: 'CommunityPhaseAccepted'; data: CommunityPhaseAccepted }
  | { type: 'CommunityPhaseSkipped'; data: CommunityPhaseSkipped }
  | { type: 'CommunityQualityGateChecked'; data: CommunityQualityGateChecked }
  | { type: 'CommunityPhaseTimedOut'; data: CommunityPhaseTimedOut }
  | { type: 'CommunityRetryScheduled'; data: CommunityRetryScheduled }
  | { type: 'CommunityRolloutPaused'; data: CommunityRolloutPaused }
  | { type: 'CommunityRolloutCompleted'; data: CommunityRolloutCompleted }
  | { type: 'CommunityRolloutFailed'; data: CommunityRolloutFailed };

export type Counters = Required<CommunityCountersDto>;

export interface CommunityRef {
  communityRolloutId: string;
  stateRolloutId: string;
  communityId: string;
  stateCode: string;
}

/** Registry facts copied into every phase request. */
export interface CommunityFacts {
  name: string;
  latitude: number | null;
  longitude: number | null;
  population: number | null;
  county: string | null;
}

export interface CommunityRolloutState {
  status: 'new' | CommunityRolloutStatus;
  ref: CommunityRef | null;
  name: string;
  community: CommunityFacts | null;
  skipEnrichment: boolean;
  currentPhase: number;
  phases: Record<Phase, PhaseStatus>;
  /** Last attempt number used per phase (answers to older attempts are stale). */
  attempts: Record<Phase, number>;
  /** Failed tries per phase since the community was last queued. */
  failures: Record<Phase, number>;
  /** The request whose answer is awaited. */
  awaiting: { phase: Phase; attempt: number } | null;
  /** The failed attempt whose retry timer is pending. */
  retryPending: { phase: Phase; attempt: number } | null;
  counters: Counters;
  retryCount: number;
}

const perPhase = <T>(value: T): Record<Phase, T> => ({
  1: value,
  2: value,
  3: value,
  4: value,
  5: value,
  6: value,
});

export const zeroCounters = (): Counters =>
  Object.fromEntries(COMMUNITY_COUNTER_NAMES.map((name) => [name, 0])) as Counters;

export const addCounters = (a: Counters, b: CommunityCountersDto): Counters =>
  Object.fromEntries(
    COMMUNITY_COUNTER_NAMES.map((name) => [name, a[name] + (b[name] ?? 0)]),
  ) as Counters;

export const initialCommunityRolloutState: CommunityRolloutState = {
  status: 'new',
  ref: null,
  name: '',
  community: null,
  skipEnrichment: false,
  currentPhase: 0,
  phases: perPhase<PhaseStatus>('pending'),
  attempts: perPhase(0),
  failures: perPhase(0),
  awaiting: null,
  retryPending: null,
  counters: zeroCounters(),
  retryCount: 0,
};

const withPhase = (s: CommunityRolloutState, phase: Phase, status: PhaseStatus) => ({
  ...s.phases,
  [phase]: status,
});

export function evolveCommunityRollout(
  state: CommunityRolloutState,
  event: CommunityRolloutEvent,
): CommunityRolloutState {
  switch (event.type) {
    case 'CommunityRolloutQueued': {
      const { communityRolloutId, stateRolloutId, communityId, stateCode } = event.data;
      return {
        ...state,
        status: 'queued',
        ref: { communityRolloutId, stateRolloutId, communityId, stateCode },
        name: event.data.communityName || state.name,
        failures: perPhase(0),
        retryPending: null,
      };
    }
    case 'CommunityPhaseRequested': {
      const {
        phase,
        attempt,
        communityName,
        latitude,
        longitude,
        population,
        county,
        skipEnrichment,
      } = event.data;
      return {
        ...state,
        status: phaseStatusOf(phase),
        community: {
          name: communityName,
          latitude: latitude ?? null,
          longitude: longitude ?? null,
          population: population ?? null,
          county: county ?? null,
        },
        skipEnrichment,
        currentPhase: phase,
        phases: withPhase(state, phase, 'running'),
        attempts: { ...state.attempts, [phase]: attempt },
        awaiting: { phase, attempt },
        retryPending: null,
      };
    }
    case 'CommunityPhaseAccepted':
      return {
        ...state,
        phases: withPhase(state, event.data.phase, 'completed'),
        counters: addCounters(state.counters, event.data.counters),
        awaiting: null,
      };
    case 'CommunityPhaseSkipped':
      return {
        ...state,
        currentPhase: event.data.phase,
        phases: withPhase(state, event.data.phase, 'skipped'),
      };
    case 'CommunityQualityGateChecked':
      return {
        ...state,
        status: 'phase_5_verification',
        currentPhase: 5,
        phases: withPhase(state, 5, event.data.passed ? 'completed' : 'failed'),
      };
    case 'CommunityPhaseTimedOut':
      return { ...state, awaiting: null };
    case 'CommunityRetryScheduled': {
      const { phase, failedAttempt, retryCount } = event.data;
      return {
        ...state,
        phases: withPhase(state, phase, 'failed'),
        failures: { ...state.failures, [phase]: state.failures[phase] + 1 },
        retryCount,
        awaiting: null,
        retryPending: { phase, attempt: failedAttempt },
      };
    }
    case 'CommunityRolloutPaused': {
      const phases = state.awaiting
        ? withPhase(state, state.awaiting.phase, 'failed')
        : state.phases;
      return { ...state, status: 'paused', phases, awaiting: null, retryPending: null };
    }
    case 'CommunityRolloutCompleted':
      return { ...state, status: 'completed', awaiting: null };
    case 'CommunityRolloutFailed':
      return {
        ...state,
        status: 'failed',
        phases: withPhase(state, event.data.phase, 'failed'),
        retryCount: event.data.retryCount,
        awaiting: null,
        retryPending: null,
      };
    default:
      return assertNever(event);
  }
}

/** In flight: dispatched and neither finished, paused nor failed. */
export function isInFlight(status: CommunityRolloutState['status']): boolean {
  return status.startsWith('phase_');
}
