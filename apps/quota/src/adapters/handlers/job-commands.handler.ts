import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CompleteJobCommand,
  FailJobCommand,
  StartJobCommand,
  SubmitJobCommand,
  type CommandDto,
} from '@rcp/contracts';
import { ServiceRuntime, type CommandSession } from '@rcp/eventing';
import { unwrapGranted } from '../accounts/quota-accounts';
import { QUOTA_CONTEXT, type QuotaContext } from '../quota-context';

/** cmd.quota.{SubmitJob, StartJob, CompleteJob, FailJob}: for the built-in worker and external ones. */
@Injectable()
export class JobCommandsHandler implements OnModuleInit {
  constructor(
    private readonly runtime: ServiceRuntime,
    @Inject(QUOTA_CONTEXT) private readonly quota: QuotaContext,
  ) {}

  private run<C extends CommandDto, R>(
    name: string,
    command: C,
    work: (s: CommandSession) => Promise<R>,
  ) {
    const info = { commandId: command.commandId, name, actor: command.actor, payload: command };
    return this.runtime.executor.execute(info, work);
  }

  onModuleInit() {
    const { bus } = this.runtime;
    const { jobs } = this.quota;
    bus.register(SubmitJobCommand, async (c) =>
      unwrapGranted(await this.run('SubmitJob', c, (s) => jobs.submit(s, c))),
    );
    bus.register(StartJobCommand, (c) => this.run('StartJob', c, (s) => jobs.start(s, c)));
    bus.register(CompleteJobCommand, (c) => this.run('CompleteJob', c, (s) => jobs.complete(s, c)));
    bus.register(FailJobCommand, (c) => this.run('FailJob', c, (s) => jobs.fail(s, c)));
  }
}
