import type { CommunityCountersDto, Phase, PhaseErrorDto } from '@rcp/contracts';
import { assertNever, type Decider } from '@rcp/domain';
import {
  answerKey,
  evolveCommunityPhase,
  initialCommunityPhaseState,
  type CommunityPhaseEvent,
  type CommunityPhaseState,
} from './community-phase';

/** The phase request being answered. */
export interface PhaseRequestRef {
  communityRolloutId: string;
  stateRolloutId: string;
  communityId: string;
  stateCode: string;
  phase: Phase;
  attempt: number;
  deadline: string;
}

interface AnswerBase {
  request: PhaseRequestRef;
  now: Date;
  durationMs: number;
}

export type CommunityPhaseCommand =
  | (AnswerBase & {
      type: 'CompletePhase';
      counters: CommunityCountersDto;
      warnings: string[];
    })
  | (AnswerBase & {
      type: 'FailPhase';
      error: PhaseErrorDto;
      retryable: boolean;
      counters?: CommunityCountersDto;
    });

/** Codes of the failures discovery reports itself. */
export const PHASE_FAILURE_CODES = {
  noLocation: 'NO_LOCATION',
  allCallsFailed: 'ALL_CALLS_FAILED',
  deadlineExceeded: 'DEADLINE_EXCEEDED',
  workerCrashed: 'WORKER_CRASHED',
  phaseError: 'PHASE_ERROR',
  /** This month's Places quota of a SKU is spent: not retryable (the orchestrator pauses). */
  quotaExceeded: 'QUOTA_EXCEEDED',
  /** The quota service could not be asked before a paid call (retryable). */
  quotaUnavailable: 'QUOTA_UNAVAILABLE',
} as const;

const refOf = (r: PhaseRequestRef, c: AnswerBase) => ({
  communityRolloutId: r.communityRolloutId,
  stateRolloutId: r.stateRolloutId,
  communityId: r.communityId,
  stateCode: r.stateCode,
  phase: r.phase,
  attempt: r.attempt,
  durationMs: c.durationMs,
});

function failed(
  command: AnswerBase,
  error: PhaseErrorDto,
  retryable: boolean,
  counters?: CommunityCountersDto,
): CommunityPhaseEvent {
  return {
    type: 'CommunityPhaseFailed',
    data: {
      ...refOf(command.request, command),
      error,
      retryable,
      counters,
      failedAt: command.now.toISOString(),
    },
  };
}

function completePhase(
  command: Extract<CommunityPhaseCommand, { type: 'CompletePhase' }>,
): CommunityPhaseEvent[] {
  if (command.now.getTime() > Date.parse(command.request.deadline))
    return [
      failed(
        command,
        {
          code: PHASE_FAILURE_CODES.deadlineExceeded,
          message: `phase ${command.request.phase} finished after its deadline ${command.request.deadline}`,
        },
        true,
        command.counters,
      ),
    ];
  const warnings = command.warnings.length > 0 ? command.warnings.slice(0, 100) : undefined;
  return [
    {
      type: 'CommunityPhaseCompleted',
      data: {
        ...refOf(command.request, command),
        counters: command.counters,
        warnings,
        completedAt: command.now.toISOString(),
      },
    },
  ];
}

function failPhase(
  command: Extract<CommunityPhaseCommand, { type: 'FailPhase' }>,
): CommunityPhaseEvent[] {
  return [failed(command, command.error, command.retryable, command.counters)];
}

/** Answers a phase request once: a second answer to the same `(phase, attempt)` decides nothing. */
export function decideCommunityPhase(
  command: CommunityPhaseCommand,
  state: CommunityPhaseState,
): CommunityPhaseEvent[] {
  if (state.answered.includes(answerKey(command.request.phase, command.request.attempt))) return [];
  switch (command.type) {
    case 'CompletePhase':
      return completePhase(command);
    case 'FailPhase':
      return failPhase(command);
    default:
      return assertNever(command);
  }
}

export const communityPhaseDecider: Decider<
  CommunityPhaseCommand,
  CommunityPhaseEvent,
  CommunityPhaseState
> = {
  initialState: initialCommunityPhaseState,
  evolve: evolveCommunityPhase,
  decide: decideCommunityPhase,
};
