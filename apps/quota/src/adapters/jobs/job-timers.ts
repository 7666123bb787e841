import { timerStore, type CommandSession } from '@rcp/eventing';
import type { Queryable } from '@rcp/persistence';
import { deterministicUuid } from '@rcp/domain';

export const JOB_RUN = 'quota.job-run';

export interface JobRunPayload {
  jobId: string;
  attempt: number;
}

/** One timer per attempt, under an id derived from both: scheduling twice is harmless. */
export const jobRunTimerId = (jobId: string, attempt: number) =>
  deterministicUuid(`job-run:${jobId}:${attempt}`);

export async function scheduleJobRun(
  session: CommandSession,
  jobId: string,
  attempt: number,
  dueAt: Date,
) {
  await session.schedule({
    timerId: jobRunTimerId(jobId, attempt),
    kind: JOB_RUN,
    dueAt,
    payload: { jobId, attempt },
  });
}

/** From the dispatch projection's batch transaction. */
export async function scheduleFirstRun(tx: Queryable, jobId: string, dueAt: Date) {
  await timerStore.schedule(tx, {
    timerId: jobRunTimerId(jobId, 1),
    kind: JOB_RUN,
    dueAt,
    payload: { jobId, attempt: 1 },
  });
}
