import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import type { PageReply } from '../orchestrator/list-state-rollouts.query';
import { JOB_STATUSES, MONTH_PATTERN, type JobStatus, type QuotaTier } from './quota.constants';
import { MeterField, TenantIdField } from './quota.fields';

/** A tenant's quota of one meter for a month (default the current UTC month). */
export class GetQuota extends QueryDto {
  @TenantIdField()
  tenantId!: string;

  @MeterField()
  meter!: string;

  @IsOptional()
  @Matches(MONTH_PATTERN, { message: 'month must be YYYY-MM' })
  month?: string;
}

/** Reply of `qry.quota.GetQuota`. */
export interface QuotaReply {
  tenantId: string;
  meter: string;
  month: string;
  limit: number;
  used: number;
  reserved: number;
  /** limit − used − reserved, never below 0. */
  remaining: number;
  tier: QuotaTier;
  /** Start of the next UTC month. */
  resetsAt: string;
}

/** One job. */
export class GetJob extends QueryDto {
  @IsUUID()
  jobId!: string;
}

/** A tenant's jobs, newest first, optionally by status. */
export class ListJobs extends QueryDto {
  @TenantIdField()
  tenantId!: string;

  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsInt() @Min(0) offset?: number;
}

/** Reply of `qry.quota.GetJob` (the `jobs` projection). */
export interface JobView {
  jobId: string;
  tenantId: string;
  meter: string;
  subjectId: string;
  kind: string | null;
  status: JobStatus;
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  resultRef: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  retryCount: number;
  maxRetries: number;
  modelVersion: string | null;
  reservationId: string | null;
  nextRetryAt: string | null;
  updatedAt: string;
}

/** Reply of `qry.quota.ListJobs`. */
export type ListJobsReply = PageReply<JobView>;

export const GetQuotaQuery = defineQuery(
  'quota',
  'GetQuota',
  GetQuota,
  "A tenant's quota of a meter for a month.",
);
export const GetJobQuery = defineQuery('quota', 'GetJob', GetJob, 'One async job.');
export const ListJobsQuery = defineQuery(
  'quota',
  'ListJobs',
  ListJobs,
  "A tenant's jobs, by status.",
);
