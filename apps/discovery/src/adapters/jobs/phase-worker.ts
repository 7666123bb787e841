import { randomUUID } from 'node:crypto';
import type { CommunityPhaseRequested } from '@rcp/contracts';
import type { ServiceRuntime } from '@rcp/eventing';
import { type Logger, contextFromHeaders, withSpan } from '@rcp/telemetry';
import { PHASE_FAILURE_CODES } from '../../domain/community-phase/community-phase.decide';
import { emptyWork, errorText, type PhaseDeps, type PhaseWork } from '../phases/phase-work';
import { executePhase, type PhaseGuards, type PhaseRun } from './phase-execution';
import type { ClaimedJob, PhaseJobStore } from './phase-job.store';
import { writePhaseOutcome } from './phase-outcome.writer';

export interface PhaseWorkerOptions {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  maxClaims: number;
}

/**
 * A bounded pool of lanes that take phase jobs, run them (HTTP, many calls) outside any
 * transaction, under the request's deadline, and commit the outcome. Leases are renewed while a
 * job runs; a job whose worker died is taken again when its lease runs out.
 */
export class PhaseWorker {
  readonly workerId = `discovery-${process.pid}-${randomUUID().slice(0, 8)}`;
  private running = false;
  private lanes: Promise<void>[] = [];
  private readonly stopping = new AbortController();
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly jobs: PhaseJobStore,
    private readonly deps: PhaseDeps,
    private readonly options: PhaseWorkerOptions,
    private readonly logger: Logger,
    private readonly guards: PhaseGuards = { quotas: null, flags: null },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lanes = Array.from({ length: this.options.concurrency }, () => this.lane());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    for (const wake of this.sleepers) wake();
    await Promise.all(this.lanes);
  }

  /** Wakes idle lanes (e.g. right after a request was recorded). */
  wake(): void {
    for (const wake of this.sleepers) wake();
  }

  private async lane(): Promise<void> {
    while (this.running) {
      let job: ClaimedJob | null = null;
      try {
        job = await this.jobs.claim(this.workerId, this.options.leaseMs);
      } catch (error) {
        this.logger.warn('claiming a phase job failed', { error });
      }
      if (job) {
        const { request, traceHeaders } = job;
        await withSpan(
          `phase ${request.phase} ${request.stateCode}`,
          {
            parent: contextFromHeaders(traceHeaders),
            attributes: {
              'rcp.community_rollout_id': request.communityRolloutId,
              'rcp.phase': request.phase,
              'rcp.attempt': request.attempt,
            },
          },
          () => this.process(job),
        );
      } else await this.sleep(this.options.pollMs);
    }
  }

  private async process({ request, claims }: ClaimedJob): Promise<void> {
    const started = Date.now();
    const log = this.logger.child({
      communityRolloutId: request.communityRolloutId,
      phase: request.phase,
      attempt: request.attempt,
    });
    const heartbeat = setInterval(
      () =>
        void this.jobs.renew(request, this.workerId, this.options.leaseMs).catch(() => undefined),
      Math.max(50, this.options.leaseMs / 3),
    );
    try {
      const { work, decision } = await this.work(request, claims, log);
      if (this.stopping.signal.aborted)
        return void (await this.jobs.release(request, this.workerId).catch(() => undefined));
      const answer = await writePhaseOutcome(
        this.runtime,
        this.jobs,
        request,
        work,
        Date.now() - started,
      );
      this.runtime.relay.wake();
      log.info('phase answered', { answer, durationMs: Date.now() - started });
      await this.guards.flags?.report(request, decision, work, Date.now() - started);
    } catch (error) {
      log.error('phase outcome not written; job released', { error });
      await this.jobs.release(request, this.workerId, errorText(error)).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async work(
    request: CommunityPhaseRequested,
    claims: number,
    log: Logger,
  ): Promise<PhaseRun> {
    if (claims > this.options.maxClaims)
      return unflagged({
        type: 'fail',
        error: {
          code: PHASE_FAILURE_CODES.workerCrashed,
          message: `phase job was taken ${claims} times without finishing`,
        },
        retryable: true,
      });
    const left = Date.parse(request.deadline) - this.deps.clock().getTime();
    if (left <= 0) return unflagged(deadlineFailure(request));
    const deadline = AbortSignal.timeout(left);
    try {
      const run = await executePhase(
        request,
        claims,
        this.deps,
        this.guards,
        AbortSignal.any([deadline, this.stopping.signal]),
      );
      return deadline.aborted
        ? { ...run, work: { ...run.work, outcome: deadlineFailure(request) } }
        : run;
    } catch (error) {
      log.warn('phase failed', { error });
      return unflagged({
        type: 'fail',
        error: { code: PHASE_FAILURE_CODES.phaseError, message: errorText(error) },
        retryable: true,
      });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

const unflagged = (outcome: PhaseWork['outcome']): PhaseRun => ({
  work: emptyWork(outcome),
  decision: null,
});

function deadlineFailure(request: CommunityPhaseRequested): PhaseWork['outcome'] {
  return {
    type: 'fail',
    error: {
      code: PHASE_FAILURE_CODES.deadlineExceeded,
      message: `phase ${request.phase} passed its deadline ${request.deadline}`,
    },
    retryable: true,
  };
}
