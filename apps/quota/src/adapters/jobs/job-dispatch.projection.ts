import type { JobSubmitted } from '@rcp/contracts';
import type { Projection } from '@rcp/eventing';
import { scheduleFirstRun } from './job-timers';

/**
 * The worker's intake: a durable consumer of JobSubmitted that schedules each job's first run
 * in the batch's transaction (so exactly once); the timer poller then runs it.
 */
export const jobDispatchProjection: Projection = {
  name: 'job-dispatch',
  filterSubject: 'events.quota.JobSubmitted.*',
  eventTypes: ['JobSubmitted'],
  tables: [],
  async apply(event, tx) {
    await scheduleFirstRun(tx, (event.data as JobSubmitted).jobId, new Date(event.occurredAt));
  },
};
