import {
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Min,
} from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { FlagNameField, SubjectIdField } from './flag.fields';

/**
 * The outcome of one job a service ran under a flag. Feeds `rollout_metrics` and auto-rollback.
 * `commandId` makes a resent outcome count once.
 */
export class RecordJobOutcome extends CommandDto {
  @FlagNameField()
  flag!: string;

  @SubjectIdField()
  subjectId!: string;

  /** The path that ran the job, e.g. `text_search_paged` or `nearby_only`. */
  @IsString()
  @Length(1, 100)
  processor!: string;

  @IsBoolean()
  success!: boolean;

  @IsInt()
  @Min(0)
  durationMs!: number;

  /** Error message when `success` is false. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  error?: string;

  /** When the job ended (default: when recorded). */
  @IsOptional()
  @IsISO8601()
  occurredAt?: string;
}

export const RecordJobOutcomeCommand = defineCommand(
  'flags',
  'RecordJobOutcome',
  RecordJobOutcome,
  'Report the outcome of a job run under a flag (feeds auto-rollback).',
);
