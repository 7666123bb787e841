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
import { defineEvent } from '../messages';
import { FlagNameField, SubjectIdField } from './flag.fields';

/** A job run under a flag ended; feeds `rollout_metrics` and auto-rollback. */
export class JobOutcomeRecorded {
  @FlagNameField()
  flag!: string;

  @SubjectIdField()
  subjectId!: string;

  @IsString()
  @Length(1, 100)
  processor!: string;

  @IsBoolean()
  success!: boolean;

  @IsInt()
  @Min(0)
  durationMs!: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  error?: string;

  /** When the job ended. */
  @IsISO8601()
  occurredAt!: string;

  @IsISO8601()
  recordedAt!: string;
}

export const JobOutcomeRecordedEvent = defineEvent(
  'flags',
  'JobOutcomeRecorded',
  JobOutcomeRecorded,
  {
    aggregateType: 'FlagMetrics',
    summary: 'The outcome of a job run under a flag.',
  },
);
