import type {
  JobCompleted,
  JobFailed,
  JobRetryScheduled,
  JobStarted,
  JobStatus,
  JobSubmitted,
} from '@rcp/contracts';
import { assertNever } from '@rcp/domain';

export type JobEvent =
  | { type: 'JobSubmitted'; data: JobSubmitted }
  | { type: 'JobStarted'; data: JobStarted }
  | { type: 'JobCompleted'; data: JobCompleted }
  | { type: 'JobFailed'; data: JobFailed }
  | { type: 'JobRetryScheduled'; data: JobRetryScheduled };

export interface JobState {
  status: JobStatus | 'none';
  tenantId: string;
  reservationId: string;
  retryCount: number;
  maxRetries: number;
  /** The attempt running or last run (1 for the first try). */
  attempt: number;
}

export const initialJob: JobState = {
  status: 'none',
  tenantId: '',
  reservationId: '',
  retryCount: 0,
  maxRetries: 0,
  attempt: 0,
};

export function evolveJob(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'JobSubmitted': {
      const { tenantId, reservationId, maxRetries } = event.data;
      return { ...initialJob, status: 'pending', tenantId, reservationId, maxRetries };
    }
    case 'JobStarted':
      return { ...state, status: 'processing', attempt: event.data.attempt };
    case 'JobRetryScheduled':
      return { ...state, status: 'pending', retryCount: event.data.retryCount };
    case 'JobCompleted':
      return { ...state, status: 'completed' };
    case 'JobFailed':
      return { ...state, status: 'failed' };
    default:
      return assertNever(event);
  }
}
