import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CompleteJobCommand,
  FailJobCommand,
  StartJobCommand,
  SubmitJobCommand,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { unwrapGranted } from '../accounts/quota-accounts';
import { QUOTA_CONTEXT, type QuotaContext } from '../quota-context';

/** cmd.quota.{SubmitJob, StartJob, CompleteJob, FailJob}: for the built-in worker and external ones. */
@Injectable()
export class JobCommandsHandler implements OnModuleInit {
  constructor(
    private readonly runtime: ServiceRuntime,
    @Inject(QUOTA_CONTEXT) private readonly quota: QuotaContext,
  ) {}

  onModuleInit() {
    const { bus } = this.runtime;
    const { jobs } = this.quota;
    bus.register(SubmitJobCommand, async (c) =>
      unwrapGranted(await this.runtime.executor.handle('SubmitJob', c, (s) => jobs.submit(s, c))),
    );
    bus.register(StartJobCommand, (c) =>
      this.runtime.executor.handle('StartJob', c, (s) => jobs.start(s, c)),
    );
    bus.register(CompleteJobCommand, (c) =>
      this.runtime.executor.handle('CompleteJob', c, (s) => jobs.complete(s, c)),
    );
    bus.register(FailJobCommand, (c) =>
      this.runtime.executor.handle('FailJob', c, (s) => jobs.fail(s, c)),
    );
  }
}
