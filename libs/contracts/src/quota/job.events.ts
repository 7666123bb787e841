import {
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
} from 'class-validator';
import { defineEvent } from '../messages';
import { MeterField, TenantIdField } from './quota.fields';

/** Fields every job event carries. */
abstract class JobEvent {
  @IsUUID()
  jobId!: string;

  @TenantIdField()
  tenantId!: string;
}

/** A job was accepted, its quota reserved; status `pending`. */
export class JobSubmitted extends JobEvent {
  @MeterField() meter!: string;
  @IsInt() @Min(1) units!: number;
  @IsUUID() reservationId!: string;

  @IsString() @Length(1, 200) subjectId!: string;

  @IsOptional() @IsString() @Length(1, 100) kind?: string;

  /** Seed 003 `requested_by`. */
  @IsString() @Length(1, 200) requestedBy!: string;

  @IsInt() @Min(0) maxRetries!: number;

  @IsOptional() @IsString() @Length(1, 200) modelVersion?: string;
  @IsOptional() @IsObject() input?: Record<string, unknown>;

  /** Seed 003 `requested_at`. */
  @IsISO8601() submittedAt!: string;
}

/** A worker took the job; status `processing`. */
export class JobStarted extends JobEvent {
  /** 1 for the first try. */
  @IsInt() @Min(1) attempt!: number;

  @IsOptional() @IsString() @Length(1, 200) workerId?: string;
  @IsOptional() @IsString() @Length(1, 200) modelVersion?: string;
  @IsISO8601() startedAt!: string;
}

/** The job finished; status `completed`, its reservation committed. */
export class JobCompleted extends JobEvent {
  @IsOptional() @IsString() @Length(1, 500) resultRef?: string;
  @IsOptional() @IsString() @Length(1, 200) modelVersion?: string;
  @IsInt() @Min(0) retryCount!: number;
  @IsISO8601() completedAt!: string;
}

/** The job failed for good (retries spent or not retryable); status `failed`, reservation released. */
export class JobFailed extends JobEvent {
  @IsString() @Length(1, 100) errorCode!: string;
  @IsString() @MaxLength(4000) errorMessage!: string;
  @IsInt() @Min(0) retryCount!: number;
  @IsISO8601() failedAt!: string;
}

/** A job attempt failed and will run again at `retryAt`; status back to `pending`. */
export class JobRetryScheduled extends JobEvent {
  @IsString() @Length(1, 100) errorCode!: string;
  @IsString() @MaxLength(4000) errorMessage!: string;

  /** Retries so far, this one included. */
  @IsInt() @Min(1) retryCount!: number;
  @IsInt() @Min(0) delayMs!: number;
  @IsISO8601() retryAt!: string;
  @IsISO8601() scheduledAt!: string;
}

const aggregateType = 'Job';

export const JobSubmittedEvent = defineEvent('quota', 'JobSubmitted', JobSubmitted, {
  aggregateType,
  summary: 'An async job was accepted and its quota reserved.',
});
export const JobStartedEvent = defineEvent('quota', 'JobStarted', JobStarted, {
  aggregateType,
  summary: 'A worker took an async job.',
});
export const JobCompletedEvent = defineEvent('quota', 'JobCompleted', JobCompleted, {
  aggregateType,
  summary: 'An async job finished.',
});
export const JobFailedEvent = defineEvent('quota', 'JobFailed', JobFailed, {
  aggregateType,
  summary: 'An async job failed for good; its quota was released.',
});
export const JobRetryScheduledEvent = defineEvent('quota', 'JobRetryScheduled', JobRetryScheduled, {
  aggregateType,
  summary: 'A failed job attempt will be retried after a backoff.',
});
