import type { JobSubmitted } from '@rcp/contracts';

/** What a runner gets: the submitted job and which attempt this is (1 for the first try). */
export interface JobRun {
  job: JobSubmitted;
  attempt: number;
}

export interface JobResult {
  resultRef?: string;
  modelVersion?: string;
}

/** A failed attempt; `retryable: false` fails the job at once. */
export class JobRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'JobRunError';
  }
}

/** Does the work of a job. Throw JobRunError (or any error) to fail the attempt. */
export interface JobRunner {
  run(run: JobRun): Promise<JobResult>;
}

/** Scripted outcome read from `input.simulate`, for demos and tests. */
interface Simulation {
  failTimes?: number;
  errorCode?: string;
  errorMessage?: string;
  retryable?: boolean;
  resultRef?: string;
}

/**
 * The embedded default runner, no network: completes a job at once unless `input.simulate`
 * scripts failures (`failTimes` attempts fail with `errorCode`, then it succeeds).
 */
export class SimulatedJobRunner implements JobRunner {
  async run({ job, attempt }: JobRun): Promise<JobResult> {
    const sim = (job.input?.simulate ?? {}) as Simulation;
    if (attempt <= (sim.failTimes ?? 0))
      throw new JobRunError(
        sim.errorCode ?? 'SimulatedFailure',
        sim.errorMessage ?? `simulated failure of attempt ${attempt}`,
        sim.retryable ?? true,
      );
    return { resultRef: sim.resultRef ?? `simulated:${job.jobId}`, modelVersion: job.modelVersion };
  }
}
