import { fold } from '@rcp/domain';
import { jobDecider, type JobCommand } from './job.decide';
import type { JobEvent } from './job';

const now = new Date('2026-03-10T12:00:00Z');
const jobId = 'job-1';
const submit: JobCommand = {
  type: 'SubmitJob',
  jobId,
  tenantId: 'site-1',
  meter: 'ai_evaluation',
  units: 1,
  reservationId: 'r-1',
  subjectId: 'lead-1',
  requestedBy: 'user-1',
  maxRetries: 2,
  now,
};
const start: JobCommand = { type: 'StartJob', jobId, now };
const fail: JobCommand = {
  type: 'FailJob',
  jobId,
  errorCode: 'ModelTimeout',
  errorMessage: 'slow',
  retryable: true,
  backoffMs: [100, 500],
  now,
};
const complete: JobCommand = { type: 'CompleteJob', jobId, resultRef: 'eval-1', now };

function when(given: JobCommand[], command: JobCommand): JobEvent[] {
  const events: JobEvent[] = [];
  for (const c of given) events.push(...jobDecider.decide(c, fold(jobDecider, events)));
  return jobDecider.decide(command, fold(jobDecider, events));
}

describe('Job decider', () => {
  it('submits a job once', () => {
    expect(when([], submit)).toMatchObject([
      { type: 'JobSubmitted', data: { jobId, submittedAt: now.toISOString() } },
    ]);
    expect(when([submit], submit)).toEqual([]);
  });

  it('retries a failed attempt with the backoff of that retry', () => {
    expect(when([submit, start], fail)).toMatchObject([
      { type: 'JobRetryScheduled', data: { retryCount: 1, delayMs: 100 } },
    ]);
    expect(when([submit, start, fail, start], fail)).toMatchObject([
      { type: 'JobRetryScheduled', data: { retryCount: 2, delayMs: 500 } },
    ]);
  });

  it('completes after two failures with retry count 2', () => {
    expect(when([submit, start, fail, start, fail, start], complete)).toMatchObject([
      { type: 'JobCompleted', data: { retryCount: 2, resultRef: 'eval-1' } },
    ]);
  });

  it('fails for good once the retries are spent, or at once when not retryable', () => {
    expect(when([submit, start, fail, start, fail, start], fail)).toMatchObject([
      { type: 'JobFailed', data: { retryCount: 2, errorCode: 'ModelTimeout' } },
    ]);
    expect(when([submit, start], { ...fail, retryable: false } as JobCommand)).toMatchObject([
      { type: 'JobFailed', data: { retryCount: 0 } },
    ]);
  });

  it('numbers attempts from the retries so far', () => {
    expect(when([submit, start, fail], start)).toMatchObject([
      { type: 'JobStarted', data: { attempt: 2 } },
    ]);
  });

  it('refuses to start a job that is not pending, and an unknown job', () => {
    expect(() => when([submit, start], start)).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    expect(() => when([], start)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
