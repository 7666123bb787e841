import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import {
  FLAG_STRATEGIES,
  SUBJECT_CATEGORIES,
  TRIGGERED_BY,
  type FlagStrategy,
  type SubjectCategory,
  type TriggeredBy,
} from './flag.constants';
import { FlagEventBase } from './flag-event-base.dto';
import { CategoryThresholdsDto, FlagSettingsDto } from './flag-settings.dto';

/** A flag was created; every field is given (defaults filled in). */
export class FlagCreated extends FlagEventBase {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @IsString()
  @Length(1, 100)
  groupId!: string;

  @IsInt() @Min(0) @Max(100) rolloutPercentage!: number;
  @IsBoolean() isActive!: boolean;
  @IsIn(FLAG_STRATEGIES) strategy!: FlagStrategy;
  @IsArray() @IsString({ each: true }) allowList!: string[];
  @IsArray() @IsString({ each: true }) denyList!: string[];
  @IsArray() @IsIn(SUBJECT_CATEGORIES, { each: true }) categories!: SubjectCategory[];

  /** Percent, two decimals. */
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  maxErrorRate!: number;

  @IsInt() @Min(1) monitoringWindowHours!: number;
  @IsBoolean() autoRollbackEnabled!: boolean;
  @IsObject() metadata!: Record<string, unknown>;

  /** Absent in events written before it existed: then the defaults apply. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoryThresholdsDto)
  categoryThresholds?: CategoryThresholdsDto;

  @IsISO8601()
  createdAt!: string;
}

/** Settings of a flag changed; `changes` holds only the changed fields, with their new values. */
export class FlagUpdated extends FlagEventBase {
  @ValidateNested()
  @Type(() => FlagSettingsDto)
  changes!: FlagSettingsDto;

  @IsISO8601()
  updatedAt!: string;
}

/** The rollout percentage changed (by a person or a ramp step). */
export class RolloutPercentageChanged extends FlagEventBase {
  @IsInt() @Min(0) @Max(100) previousPercentage!: number;
  @IsInt() @Min(0) @Max(100) newPercentage!: number;

  @IsIn(TRIGGERED_BY)
  triggeredBy!: TriggeredBy;

  @IsISO8601()
  changedAt!: string;
}

/** The strategy changed. */
export class StrategyChanged extends FlagEventBase {
  @IsIn(FLAG_STRATEGIES) previousStrategy!: FlagStrategy;
  @IsIn(FLAG_STRATEGIES) newStrategy!: FlagStrategy;

  @IsISO8601()
  changedAt!: string;
}

const aggregateType = 'Flag';

export const FlagCreatedEvent = defineEvent('flags', 'FlagCreated', FlagCreated, {
  aggregateType,
  summary: 'A feature flag was created.',
});
export const FlagUpdatedEvent = defineEvent('flags', 'FlagUpdated', FlagUpdated, {
  aggregateType,
  summary: "A flag's settings changed.",
});
export const RolloutPercentageChangedEvent = defineEvent(
  'flags',
  'RolloutPercentageChanged',
  RolloutPercentageChanged,
  {
    aggregateType,
    summary: "A flag's rollout percentage changed.",
  },
);
export const StrategyChangedEvent = defineEvent('flags', 'StrategyChanged', StrategyChanged, {
  aggregateType,
  summary: "A flag's strategy changed.",
});
