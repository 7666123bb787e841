import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  AllowSubjectsCommand,
  CreateFlagCommand,
  DenySubjectsCommand,
  DisallowSubjectsCommand,
  EmergencyStopCommand,
  ReleaseEmergencyStopCommand,
  SetRolloutPercentageCommand,
  SetStrategyCommand,
  UndenySubjectsCommand,
  UpdateFlagCommand,
  type CommandDefinition,
  type FlagSubjectsCommand,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { runFlagCommand } from './flag-command.runner';

const SUBJECT_COMMANDS = [
  AllowSubjectsCommand,
  DisallowSubjectsCommand,
  DenySubjectsCommand,
  UndenySubjectsCommand,
] as const;

/** The flag's configuration commands: validate (bus) → decide → reply with the flag. */
@Injectable()
export class FlagCommandsHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    const { bus } = this.runtime;
    const run = this.runtime;
    bus.register(CreateFlagCommand, (input) =>
      runFlagCommand(run, 'CreateFlag', input, (now) => ({ type: 'CreateFlag', input, now })),
    );
    bus.register(UpdateFlagCommand, (input) =>
      runFlagCommand(run, 'UpdateFlag', input, (now) => ({ type: 'UpdateFlag', input, now })),
    );
    bus.register(SetRolloutPercentageCommand, (input) =>
      runFlagCommand(run, 'SetRolloutPercentage', input, (now) => ({
        type: 'SetRolloutPercentage',
        input,
        now,
      })),
    );
    bus.register(SetStrategyCommand, (input) =>
      runFlagCommand(run, 'SetStrategy', input, (now) => ({ type: 'SetStrategy', input, now })),
    );
    for (const definition of SUBJECT_COMMANDS) this.registerSubjects(definition);
    bus.register(EmergencyStopCommand, (input) =>
      runFlagCommand(run, 'EmergencyStop', input, (now) => ({
        type: 'EmergencyStop',
        input,
        source: 'flag',
        now,
      })),
    );
    bus.register(ReleaseEmergencyStopCommand, (input) =>
      runFlagCommand(run, 'ReleaseEmergencyStop', input, (now) => ({
        type: 'ReleaseEmergencyStop',
        input,
        now,
      })),
    );
  }

  private registerSubjects(definition: CommandDefinition<FlagSubjectsCommand>): void {
    const type = definition.name as
      'AllowSubjects' | 'DisallowSubjects' | 'DenySubjects' | 'UndenySubjects';
    this.runtime.bus.register(definition, (input) =>
      runFlagCommand(this.runtime, type, input, (now) => ({ type, input, now })),
    );
  }
}
