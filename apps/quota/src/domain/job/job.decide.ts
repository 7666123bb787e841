import { assertNever, InvalidTransitionError, NotFoundError, type Decider } from '@rcp/domain';
import { evolveJob, initialJob, type JobEvent, type JobState } from './job';

export interface SubmitJobCommand {
  type: 'SubmitJob';
  jobId: string;
  tenantId: string;
  meter: string;
  units: number;
  /** The reservation the caller made for this job. */
  reservationId: string;
  subjectId: string;
  kind?: string;
  requestedBy: string;
  maxRetries: number;
  modelVersion?: string;
  input?: Record<string, unknown>;
  now: Date;
}

export interface StartJobCommand {
  type: 'StartJob';
  jobId: string;
  workerId?: string;
  modelVersion?: string;
  now: Date;
}

export interface CompleteJobCommand {
  type: 'CompleteJob';
  jobId: string;
  resultRef?: string;
  modelVersion?: string;
  now: Date;
}

export interface FailJobCommand {
  type: 'FailJob';
  jobId: string;
  errorCode: string;
  errorMessage: string;
  retryable: boolean;
  /** Delay before retry n is `backoffMs[n - 1]`; the last value repeats. */
  backoffMs: readonly number[];
  now: Date;
}

export type JobCommand = SubmitJobCommand | StartJobCommand | CompleteJobCommand | FailJobCommand;

/** A job id submitted again is the same job: nothing new. */
export function submitJob(command: SubmitJobCommand, state: JobState): JobEvent[] {
  if (state.status !== 'none') return [];
  const { type: _type, now, ...fields } = command;
  return [{ type: 'JobSubmitted', data: { ...fields, submittedAt: now.toISOString() } }];
}

function expectStatus(state: JobState, jobId: string, wanted: JobState['status'], action: string) {
  if (state.status === 'none') throw new NotFoundError(`job ${jobId} does not exist`);
  if (state.status !== wanted)
    throw new InvalidTransitionError(`job ${jobId} is ${state.status}; cannot ${action}`, [
      { field: 'jobId', message: `job must be ${wanted}`, value: state.status },
    ]);
}

export function startJob(command: StartJobCommand, state: JobState): JobEvent[] {
  expectStatus(state, command.jobId, 'pending', 'start it');
  const data = {
    jobId: command.jobId,
    tenantId: state.tenantId,
    attempt: state.retryCount + 1,
    workerId: command.workerId,
    modelVersion: command.modelVersion,
    startedAt: command.now.toISOString(),
  };
  return [{ type: 'JobStarted', data }];
}

export function completeJob(command: CompleteJobCommand, state: JobState): JobEvent[] {
  expectStatus(state, command.jobId, 'processing', 'complete it');
  const data = {
    jobId: command.jobId,
    tenantId: state.tenantId,
    resultRef: command.resultRef,
    modelVersion: command.modelVersion,
    retryCount: state.retryCount,
    completedAt: command.now.toISOString(),
  };
  return [{ type: 'JobCompleted', data }];
}

/** A failed attempt is retried with backoff while retries remain; then the job fails for good. */
export function failJob(command: FailJobCommand, state: JobState): JobEvent[] {
  expectStatus(state, command.jobId, 'processing', 'fail it');
  const { jobId, errorCode, errorMessage, now } = command;
  const base = { jobId, tenantId: state.tenantId, errorCode, errorMessage };
  if (!command.retryable || state.retryCount >= state.maxRetries) {
    const data = { ...base, retryCount: state.retryCount, failedAt: now.toISOString() };
    return [{ type: 'JobFailed', data }];
  }
  const retryCount = state.retryCount + 1;
  const steps = command.backoffMs;
  const delayMs = steps[Math.min(retryCount, steps.length) - 1] ?? 0;
  const data = {
    ...base,
    retryCount,
    delayMs,
    retryAt: new Date(now.getTime() + delayMs).toISOString(),
    scheduledAt: now.toISOString(),
  };
  return [{ type: 'JobRetryScheduled', data }];
}

export function decideJob(command: JobCommand, state: JobState): JobEvent[] {
  switch (command.type) {
    case 'SubmitJob':
      return submitJob(command, state);
    case 'StartJob':
      return startJob(command, state);
    case 'CompleteJob':
      return completeJob(command, state);
    case 'FailJob':
      return failJob(command, state);
    default:
      return assertNever(command);
  }
}

export const jobDecider: Decider<JobCommand, JobEvent, JobState> = {
  initialState: initialJob,
  evolve: evolveJob,
  decide: decideJob,
};
