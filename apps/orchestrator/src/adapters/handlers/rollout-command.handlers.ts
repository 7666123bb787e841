import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CancelStateRolloutCommand,
  ImportCommunitiesCommand,
  PauseStateRolloutCommand,
  ResumeStateRolloutCommand,
  RetryCommunityRolloutCommand,
  StartStateRolloutCommand,
  UpdateRolloutSettingsCommand,
  type ImportCommunities,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
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
      this.runtime.executor.handle('StartStateRollout', c, (s) => commands.start(s, c)),
    );
    bus.register(PauseStateRolloutCommand, (c) =>
      this.runtime.executor.handle('PauseStateRollout', c, (s) =>
        commands.pause(s, c, 'manual', c.reason),
      ),
    );
    bus.register(ResumeStateRolloutCommand, (c) =>
      this.runtime.executor.handle('ResumeStateRollout', c, (s) => commands.resume(s, c, c.reason)),
    );
    bus.register(CancelStateRolloutCommand, (c) =>
      this.runtime.executor.handle('CancelStateRollout', c, (s) => commands.cancel(s, c, c.reason)),
    );
    bus.register(UpdateRolloutSettingsCommand, (c) =>
      this.runtime.executor.handle('UpdateRolloutSettings', c, (s) =>
        commands.updateSettings(s, c, c.settings, c.reason),
      ),
    );
    bus.register(RetryCommunityRolloutCommand, (c) =>
      this.runtime.executor.handle('RetryCommunityRollout', c, (s) =>
        commands.retryCommunity(s, c.communityRolloutId),
      ),
    );
    bus.register(ImportCommunitiesCommand, (c) =>
      this.runtime.executor.handle('ImportCommunities', c, (s) =>
        registry.import(s, rowsOf(c), c.source ?? 'custom'),
      ),
    );
  }
}

function rowsOf(command: ImportCommunities): Record<string, unknown>[] {
  return command.format === 'csv'
    ? parseCsv(command.csv ?? '').map(coerceCommunityRow)
    : (command.rows ?? []);
}
