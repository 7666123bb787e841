import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import type { JobStatus } from './quota.constants';
import { MeterField, TenantIdField, UnitsField } from './quota.fields';

/** Submits an async job; quota is reserved first (refused with `QUOTA_EXCEEDED` when none is left). */
export class SubmitJob extends CommandDto {
  /** Chosen by the caller for idempotency; generated when absent. */
  @IsOptional()
  @IsUUID()
  jobId?: string;

  @TenantIdField()
  tenantId!: string;

  /** Meter charged (default `ai_evaluation`). */
  @IsOptional()
  @MeterField()
  meter?: string;

  /** Units charged (default 1). */
  @IsOptional()
  @UnitsField()
  units?: number;

  /** What the job is about (seed 003 `lead_id`). */
  @IsString()
  @Length(1, 200)
  subjectId!: string;

  /** Kind of work, e.g. `ai_evaluation`. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  kind?: string;

  /** Who asked (seed 003 `requested_by`). */
  @IsString()
  @Length(1, 200)
  requestedBy!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  maxRetries?: number;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  modelVersion?: string;

  /** Input for the worker. */
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;
}

/** Reply of `cmd.quota.SubmitJob`. */
export interface SubmitJobReply {
  jobId: string;
  reservationId: string;
  status: JobStatus;
}

/** A worker took a job. */
export class StartJob extends CommandDto {
  @IsUUID()
  jobId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  workerId?: string;

  /** The model/version actually used. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  modelVersion?: string;
}

/** A worker finished a job; its reservation is committed. */
export class CompleteJob extends CommandDto {
  @IsUUID()
  jobId!: string;

  /** Where the result is (seed 003 `evaluation_id`). */
  @IsOptional()
  @IsString()
  @Length(1, 500)
  resultRef?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  modelVersion?: string;
}

/**
 * A job attempt failed. Retried with backoff while `retryable` and retries remain; otherwise failed
 * for good and its reservation released.
 */
export class FailJob extends CommandDto {
  @IsUUID()
  jobId!: string;

  /** e.g. `QuotaExceeded`, `ModelTimeout`. */
  @IsString()
  @Length(1, 100)
  errorCode!: string;

  @IsString()
  @MaxLength(4000)
  errorMessage!: string;

  /** Default true. */
  @IsOptional()
  @IsBoolean()
  retryable?: boolean;
}

export const SubmitJobCommand = defineCommand(
  'quota',
  'SubmitJob',
  SubmitJob,
  'Submit an async job (reserves quota).',
);
export const StartJobCommand = defineCommand('quota', 'StartJob', StartJob, 'A worker took a job.');
export const CompleteJobCommand = defineCommand(
  'quota',
  'CompleteJob',
  CompleteJob,
  'A worker finished a job.',
);
export const FailJobCommand = defineCommand('quota', 'FailJob', FailJob, 'A job attempt failed.');
