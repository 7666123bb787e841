import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { US_STATE_CODES } from '../us-states';
import { RolloutSettingsDto, SettingsType } from './rollout-settings.dto';

/** Starts the rollout of every community of a state. */
export class StartStateRollout extends CommandDto {
  /** Two-letter code of one of the 50 states or DC; upper-cased on input. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsIn(US_STATE_CODES, { message: 'stateCode must be one of the 50 US states or DC' })
  stateCode!: string;

  @IsOptional()
  @ValidateNested()
  @SettingsType()
  settings?: RolloutSettingsDto;

  /** Who started it (kept on the rollout as `initiated_by`). */
  @IsString()
  @Length(1, 200)
  initiatedBy!: string;
}

export const StartStateRolloutCommand = defineCommand(
  'orchestrator',
  'StartStateRollout',
  StartStateRollout,
  'Start rolling out every community of a state.',
);
