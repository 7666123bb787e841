import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { FLAG_STRATEGIES, MAX_SUBJECTS_PER_CHANGE, type FlagStrategy } from './flag.constants';
import { FlagNameField } from './flag.fields';
import { FlagSettingsDto } from './flag-settings.dto';

/** Fields every flag command carries. */
export abstract class FlagCommand extends CommandDto {
  /** The flag's name. */
  @FlagNameField()
  flag!: string;

  /** Why, kept in the flag's history. */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

/** Creates a flag; omitted settings take {@link FLAG_DEFAULTS}. Refused with `ALREADY_EXISTS`. */
export class CreateFlag extends FlagCommand {
  @IsOptional()
  @ValidateNested()
  @Type(() => FlagSettingsDto)
  settings?: FlagSettingsDto;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  rolloutPercentage?: number;

  @IsOptional()
  @IsIn(FLAG_STRATEGIES)
  strategy?: FlagStrategy;

  /** Subjects always enabled (unless denied). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SUBJECTS_PER_CHANGE)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  allowList?: string[];

  /** Subjects never enabled. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SUBJECTS_PER_CHANGE)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  denyList?: string[];
}

/** Changes a flag's settings; only the fields in `changes` change. */
export class UpdateFlag extends FlagCommand {
  @ValidateNested()
  @Type(() => FlagSettingsDto)
  changes!: FlagSettingsDto;
}

/** Sets the rollout percentage (0–100); cancels a running ramp. */
export class SetRolloutPercentage extends FlagCommand {
  @IsInt()
  @Min(0)
  @Max(100)
  percentage!: number;
}

/** Switches the strategy. */
export class SetStrategy extends FlagCommand {
  @IsIn(FLAG_STRATEGIES)
  strategy!: FlagStrategy;
}

export const CreateFlagCommand = defineCommand(
  'flags',
  'CreateFlag',
  CreateFlag,
  'Create a feature flag.',
);
export const UpdateFlagCommand = defineCommand(
  'flags',
  'UpdateFlag',
  UpdateFlag,
  "Change a flag's settings.",
);
export const SetRolloutPercentageCommand = defineCommand(
  'flags',
  'SetRolloutPercentage',
  SetRolloutPercentage,
  "Set a flag's rollout percentage.",
);
export const SetStrategyCommand = defineCommand(
  'flags',
  'SetStrategy',
  SetStrategy,
  "Switch a flag's strategy.",
);
