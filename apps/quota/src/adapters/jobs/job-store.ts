import type { JobSubmitted } from '@rcp/contracts';
import type { EventStore, Queryable, StreamRef } from '@rcp/persistence';
import { fold } from '@rcp/domain';
import { jobDecider } from '../../domain/job/job.decide';
import type { JobEvent, JobState } from '../../domain/job/job';

export const jobRef = (jobId: string): StreamRef => ({ aggregateType: 'Job', aggregateId: jobId });

export interface LoadedJob {
  state: JobState;
  version: number;
  submitted?: JobSubmitted;
}

export async function loadJob(store: EventStore, db: Queryable, jobId: string): Promise<LoadedJob> {
  const stored = await store.readStream(db, jobRef(jobId));
  const events = stored.map((s) => ({ type: s.envelope.type, data: s.envelope.data }) as JobEvent);
  const first = events[0];
  return {
    state: fold(jobDecider, events),
    version: stored.length,
    submitted: first?.type === 'JobSubmitted' ? first.data : undefined,
  };
}
