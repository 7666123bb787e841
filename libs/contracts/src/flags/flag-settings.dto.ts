import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  FLAG_NAME_PATTERN,
  SUBJECT_CATEGORIES,
  type CategoryThresholds,
  type SubjectCategory,
} from './flag.constants';

/** Thresholds of the category strategy (see {@link CategoryThresholds}). */
export class CategoryThresholdsDto implements CategoryThresholds {
  @IsString()
  @Length(1, 100)
  attribute!: string;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  medium!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  large!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  enterprise!: number;
}

/**
 * The settings of a flag other than its percentage, strategy and lists (those have their own
 * commands). Used by `CreateFlag`, and as the partial `changes` of `UpdateFlag` / `FlagUpdated`.
 */
export class FlagSettingsDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /** Stickiness group hashed with the subject id; defaults to the flag name. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(FLAG_NAME_PATTERN)
  groupId?: string;

  @IsOptional()
  @IsBoolean()
  isActive?: boolean;

  /** Error rate in percent (0–100, two decimals) above which auto-rollback fires; default 5.0. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  maxErrorRate?: number;

  /** Window of the error rate, in hours; default 24. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  monitoringWindowHours?: number;

  @IsOptional()
  @IsBoolean()
  autoRollbackEnabled?: boolean;

  /**
   * Categories the category strategy enables outright. Beyond these, categories are enabled in
   * priority order as the rollout percentage rises.
   */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SUBJECT_CATEGORIES, { each: true })
  categories?: SubjectCategory[];

  /** How the category strategy derives categories; default {@link DEFAULT_CATEGORY_THRESHOLDS}. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoryThresholdsDto)
  categoryThresholds?: CategoryThresholdsDto;

  /** Free-form JSON kept with the flag. */
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}
