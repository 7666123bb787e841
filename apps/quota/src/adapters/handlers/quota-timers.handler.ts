import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { deterministicUuid } from '@rcp/domain';
import { ServiceRuntime } from '@rcp/eventing';
import { RESERVATION_EXPIRY } from '../accounts/reservation-timers';
import { JOB_RUN } from '../jobs/job-timers';
import { JobWorker } from '../jobs/job-worker';
import { QUOTA_CONTEXT, type QuotaContext } from '../quota-context';

/** Durable timers: reservation TTLs, and job attempts when the built-in worker runs. */
@Injectable()
export class QuotaTimersHandler implements OnModuleInit {
  constructor(
    private readonly runtime: ServiceRuntime,
    @Inject(QUOTA_CONTEXT) private readonly quota: QuotaContext,
  ) {}

  onModuleInit() {
    const { timers, executor } = this.runtime;
    timers.on(RESERVATION_EXPIRY, async (timer) => {
      const reservationId = String(timer.payload.reservationId);
      const commandId = deterministicUuid(`${timer.timerId}:ExpireReservation`);
      const info = {
        commandId,
        name: 'ExpireReservation',
        actor: 'quota-timer',
        payload: { reservationId },
      };
      await executor.execute(info, (s) => this.quota.accounts.expire(s, reservationId));
    });
    if (!this.quota.config.worker) return;
    const worker = new JobWorker(
      this.runtime,
      this.quota.jobs,
      this.quota.runner,
      this.runtime.logger,
    );
    timers.on(JOB_RUN, (timer) => worker.onTimer(timer));
  }
}
