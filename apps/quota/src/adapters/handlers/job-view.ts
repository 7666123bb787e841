import type { JobStatus, JobView } from '@rcp/contracts';

export interface JobRow {
  id: string;
  tenant_id: string;
  meter: string;
  subject_id: string;
  kind: string | null;
  status: JobStatus;
  requested_by: string;
  requested_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  result_ref: string | null;
  error_code: string | null;
  error_message: string | null;
  retry_count: number;
  max_retries: number;
  model_version: string | null;
  reservation_id: string | null;
  next_retry_at: Date | null;
  updated_at: Date;
}

export const JOB_COLUMNS = `id, tenant_id, meter, subject_id, kind, status, requested_by, requested_at, started_at,
  completed_at, result_ref, error_code, error_message, retry_count, max_retries, model_version, reservation_id,
  next_retry_at, updated_at`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toJobView(row: JobRow): JobView {
  return {
    jobId: row.id,
    tenantId: row.tenant_id,
    meter: row.meter,
    subjectId: row.subject_id,
    kind: row.kind,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    resultRef: row.result_ref,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    retryCount: row.retry_count,
    maxRetries: row.max_retries,
    modelVersion: row.model_version,
    reservationId: row.reservation_id,
    nextRetryAt: iso(row.next_retry_at),
    updatedAt: row.updated_at.toISOString(),
  };
}
