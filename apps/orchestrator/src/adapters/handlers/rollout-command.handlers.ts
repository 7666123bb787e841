import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CancelStateRolloutCommand,
  ImportCommunitiesCommand,
  PauseStateRolloutCommand,
  ResumeStateRolloutCommand,
  RetryCommunityRolloutCommand,
  StartStateRolloutCommand,
  UpdateRolloutSettingsCommand,
  type CommandDto,
  type ImportCommunities,
} from '@rcp/contracts';
import { ServiceRuntime, type CommandSession } from '@rcp/eventing';
import { coerceCommunityRow, parseCsv } from '../../domain/registry/csv';
import { OrchestratorProcess } from '../process/orchestrator-process';

/** `cmd.orchestrator.*`: validate (the bus), run once per commandId (the executor), delegate. */
@Injectable()
export class RolloutCommandHandlers implements OnModuleInit {
  constructor(
    @Inject(ServiceRuntime) private readonly runtime: ServiceRuntime,
    @Inject(OrchestratorProcess) private readonly process: OrchestratorProcess,
  ) {}

  onModuleInit(): void {
    const { bus } = this.runtime;
    const { commands, registry } = this.process;
    bus.register(StartStateRolloutCommand, (c) =>
      this.run(c, 'StartStateRollout', (s) => commands.start(s, c)),
    );
    bus.register(PauseStateRolloutCommand, (c) =>
      this.run(c, 'PauseStateRollout', (s) => commands.pause(s, c, 'manual', c.reason)),
    );
    bus.register(ResumeStateRolloutCommand, (c) =>
      this.run(c, 'ResumeStateRollout', (s) => commands.resume(s, c, c.reason)),
    );
    bus.register(CancelStateRolloutCommand, (c) =>
      this.run(c, 'CancelStateRollout', (s) => commands.cancel(s, c, c.reason)),
    );
    bus.register(UpdateRolloutSettingsCommand, (c) =>
      this.run(c, 'UpdateRolloutSettings', (s) =>
        commands.updateSettings(s, c, c.settings, c.reason),
      ),
    );
    bus.register(RetryCommunityRolloutCommand, (c) =>
      this.run(c, 'RetryCommunityRollout', (s) => commands.retryCommunity(s, c.communityRolloutId)),
    );
    bus.register(ImportCommunitiesCommand, (c) =>
      this.run(c, 'ImportCommunities', (s) => registry.import(s, rowsOf(c), c.source ?? 'custom')),
    );
  }

  private run<R>(
    command: CommandDto,
    name: string,
    work: (session: CommandSession) => Promise<R>,
  ): Promise<R> {
    return this.runtime.executor.execute(
      { commandId: command.commandId, name, actor: command.actor, payload: command },
      work,
    );
  }
}

function rowsOf(command: ImportCommunities): Record<string, unknown>[] {
  return command.format === 'csv'
    ? parseCsv(command.csv ?? '').map(coerceCommunityRow)
    : (command.rows ?? []);
}
