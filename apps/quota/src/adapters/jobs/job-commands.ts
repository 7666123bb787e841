import { randomUUID } from 'node:crypto';
import {
  AI_EVALUATION_METER,
  QUOTA_DEFAULTS,
  type CompleteJob,
  type FailJob,
  type StartJob,
  type SubmitJob,
  type SubmitJobReply,
} from '@rcp/contracts';
import type { CommandSession } from '@rcp/eventing';
import type { EventStore } from '@rcp/persistence';
import type { JobEvent } from '../../domain/job/job';
import { decideJob, type JobCommand } from '../../domain/job/job.decide';
import type { Granted, QuotaAccounts } from '../accounts/quota-accounts';
import type { QuotaConfig } from '../quota.config';
import { jobRef, loadJob } from './job-store';
import { scheduleJobRun } from './job-timers';

/** The job commands inside a command's transaction; the account lock is always taken first. */
export class JobCommands {
  constructor(
    private readonly store: EventStore,
    private readonly accounts: QuotaAccounts,
    private readonly config: QuotaConfig,
    private readonly clock: () => Date,
  ) {}

  async submit(session: CommandSession, dto: SubmitJob): Promise<Granted<SubmitJobReply>> {
    const jobId = dto.jobId ?? randomUUID();
    const existing = await loadJob(this.store, session.tx, jobId);
    if (existing.state.status !== 'none')
      return {
        granted: {
          jobId,
          reservationId: existing.state.reservationId,
          status: existing.state.status,
        },
      };
    const meter = dto.meter ?? AI_EVALUATION_METER;
    const units = dto.units ?? 1;
    const reserved = await this.accounts.reserve(session, {
      tenantId: dto.tenantId,
      meter,
      units,
      idempotencyKey: `job:${jobId}`,
      ttlMs: this.config.jobReservationTtlMs,
    });
    if ('refused' in reserved) return reserved;
    const { reservationId } = reserved.granted;
    const { commandId: _c, actor: _a, jobId: _j, meter: _m, units: _u, ...fields } = dto;
    const command: JobCommand = {
      ...fields,
      type: 'SubmitJob',
      jobId,
      meter,
      units,
      reservationId,
      maxRetries: dto.maxRetries ?? QUOTA_DEFAULTS.maxRetries,
      now: this.clock(),
    };
    await this.append(session, jobId, existing.version, decideJob(command, existing.state));
    return { granted: { jobId, reservationId, status: 'pending' } };
  }

  async start(session: CommandSession, dto: StartJob) {
    const job = await loadJob(this.store, session.tx, dto.jobId);
    const events = decideJob({ ...dto, type: 'StartJob', now: this.clock() }, job.state);
    await this.append(session, dto.jobId, job.version, events);
    const attempt = (events[0].data as { attempt: number }).attempt;
    return { jobId: dto.jobId, status: 'processing' as const, attempt };
  }

  async complete(session: CommandSession, dto: CompleteJob) {
    const job = await loadJob(this.store, session.tx, dto.jobId);
    const events = decideJob({ ...dto, type: 'CompleteJob', now: this.clock() }, job.state);
    // A reservation that expired while the job ran has nothing left to commit.
    if (await this.accounts.isOpen(session, job.state.reservationId))
      await this.accounts.commit(session, job.state.reservationId);
    await this.append(session, dto.jobId, job.version, events);
    return { jobId: dto.jobId, status: 'completed' as const, retryCount: job.state.retryCount };
  }

  async fail(session: CommandSession, dto: FailJob) {
    const job = await loadJob(this.store, session.tx, dto.jobId);
    const command: JobCommand = {
      type: 'FailJob',
      jobId: dto.jobId,
      errorCode: dto.errorCode,
      errorMessage: dto.errorMessage,
      retryable: dto.retryable ?? true,
      backoffMs: this.config.jobRetryBackoffMs,
      now: this.clock(),
    };
    const [event] = decideJob(command, job.state);
    if (
      event.type === 'JobFailed' &&
      (await this.accounts.isOpen(session, job.state.reservationId))
    )
      await this.accounts.release(
        session,
        job.state.reservationId,
        `job ${dto.jobId} failed: ${dto.errorCode}`,
      );
    await this.append(session, dto.jobId, job.version, [event]);
    if (event.type === 'JobRetryScheduled' && this.config.worker)
      await scheduleJobRun(
        session,
        dto.jobId,
        event.data.retryCount + 1,
        new Date(event.data.retryAt),
      );
    const status = event.type === 'JobFailed' ? 'failed' : 'pending';
    return {
      jobId: dto.jobId,
      status,
      retryCount: (event.data as { retryCount: number }).retryCount,
    };
  }

  private async append(
    session: CommandSession,
    jobId: string,
    version: number,
    events: JobEvent[],
  ) {
    await session.append(
      jobRef(jobId),
      version,
      events.map((e) => ({ type: e.type, data: e.data, stateCode: null })),
    );
  }
}
