import { IsString, Length } from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { FlagCommand } from './flag-commands.dto';
import { FlagNameField } from './flag.fields';

/** Kill switch: the flag evaluates to off for everyone until released. A reason is required. */
export class EmergencyStop extends CommandDto {
  @FlagNameField()
  flag!: string;

  @IsString()
  @Length(1, 1000)
  reason!: string;
}

/** Releases the kill switch; evaluation follows the flag's settings again. */
export class ReleaseEmergencyStop extends FlagCommand {}

export const EmergencyStopCommand = defineCommand(
  'flags',
  'EmergencyStop',
  EmergencyStop,
  'Turn a flag off for everyone now.',
);
export const ReleaseEmergencyStopCommand = defineCommand(
  'flags',
  'ReleaseEmergencyStop',
  ReleaseEmergencyStop,
  "Release a flag's emergency stop.",
);
