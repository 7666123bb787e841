import { ERROR_CODES, type CompleteJob, type FailJob } from '@rcp/contracts';
import { deterministicUuid } from '@rcp/domain';
import type { CommandSession, DueTimer, ServiceRuntime } from '@rcp/eventing';
import type { Logger } from '@rcp/telemetry';
import type { JobCommands } from './job-commands';
import { JobRunError, type JobRunner } from './job-runner';
import { loadJob } from './job-store';
import type { JobRunPayload } from './job-timers';

const ACTOR = 'quota-worker';

/**
 * Runs one attempt of a job when its timer fires: StartJob, the runner, then CompleteJob or
 * FailJob. Every command's id derives from the timer id, so a timer fired again after a crash
 * repeats nothing; an attempt that is no longer due (job finished, or replayed) is skipped.
 */
export class JobWorker {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly jobs: JobCommands,
    private readonly runner: JobRunner,
    private readonly logger: Logger,
  ) {}

  async onTimer(timer: DueTimer): Promise<void> {
    const { jobId, attempt } = timer.payload as unknown as JobRunPayload;
    const job = await loadJob(this.runtime.store, this.runtime.db, jobId);
    const { status, retryCount } = job.state;
    const due = status === 'pending' && retryCount + 1 === attempt;
    const resumed = status === 'processing' && job.state.attempt === attempt;
    if (!job.submitted || (!due && !resumed)) return;
    await this.execute(timer.timerId, 'StartJob', { jobId, workerId: ACTOR }, (s, c) =>
      this.jobs.start(s, c),
    );
    const finish = await this.attempt(jobId, job.submitted, attempt);
    if ('errorCode' in finish)
      await this.execute(timer.timerId, 'FailJob', finish, (s, c) => this.jobs.fail(s, c));
    else
      await this.execute(timer.timerId, 'CompleteJob', finish, (s, c) => this.jobs.complete(s, c));
  }

  private async attempt(
    jobId: string,
    job: NonNullable<Awaited<ReturnType<typeof loadJob>>['submitted']>,
    attempt: number,
  ): Promise<Omit<CompleteJob, 'commandId' | 'actor'> | Omit<FailJob, 'commandId' | 'actor'>> {
    try {
      const result = await this.runner.run({ job, attempt });
      return { jobId, resultRef: result.resultRef, modelVersion: result.modelVersion };
    } catch (error) {
      this.logger.warn('job attempt failed', { jobId, attempt, error });
      if (error instanceof JobRunError)
        return {
          jobId,
          errorCode: error.code,
          errorMessage: error.message,
          retryable: error.retryable,
        };
      return {
        jobId,
        errorCode: ERROR_CODES.INTERNAL,
        errorMessage: String((error as Error).message ?? error),
      };
    }
  }

  private async execute<C extends object, R>(
    timerId: string,
    name: string,
    fields: C,
    work: (
      session: CommandSession,
      command: C & { commandId: string; actor: string },
    ) => Promise<R>,
  ): Promise<R> {
    const command = { ...fields, commandId: deterministicUuid(`${timerId}:${name}`), actor: ACTOR };
    return this.runtime.executor.execute(
      { commandId: command.commandId, name, actor: ACTOR, payload: command },
      (session) => work(session, command),
    );
  }
}
