import { eventually, startTestInfra, type TestInfra } from '@rcp/testing';
import { ok, startQuotaApp, type QuotaTestApp } from './quota-app';

describe('async jobs with retries', () => {
  let infra: TestInfra;
  let quota: QuotaTestApp;

  beforeAll(async () => {
    infra = await startTestInfra('quota_jobs');
    quota = await startQuotaApp(infra, { config: { jobRetryBackoffMs: [30, 60, 90] } });
  });

  afterAll(async () => {
    await quota?.close();
    await infra?.stop();
  });

  const job = async (jobId: string) =>
    ok(await quota.ask<Record<string, unknown>>('GetJob', { jobId }));
  const usage = async (tenantId: string) =>
    ok(await quota.ask('GetQuota', { tenantId, meter: 'ai_evaluation' }));

  it('completes a job that fails twice then succeeds, with retry_count 2, and charges its unit', async () => {
    const submitted = ok(
      await quota.send<{ jobId: string; status: string }>('SubmitJob', {
        tenantId: 'site-a',
        subjectId: 'lead-1',
        requestedBy: 'user-1',
        modelVersion: 'llama-3.2',
        input: { simulate: { failTimes: 2, errorCode: 'ModelTimeout' } },
      }),
    );
    expect(submitted.status).toBe('pending');
    await eventually(
      async () => expect(await job(submitted.jobId)).toMatchObject({ status: 'completed' }),
      30_000,
    );
    expect(await job(submitted.jobId)).toMatchObject({
      retryCount: 2,
      maxRetries: 3,
      errorCode: null,
      resultRef: `simulated:${submitted.jobId}`,
      modelVersion: 'llama-3.2',
      requestedBy: 'user-1',
      subjectId: 'lead-1',
      meter: 'ai_evaluation',
    });
    await eventually(async () =>
      expect(await usage('site-a')).toMatchObject({ used: 1, reserved: 0, remaining: 19 }),
    );
  });

  it('fails a job for good past max_retries with its error code and releases its quota', async () => {
    const { jobId } = ok(
      await quota.send<{ jobId: string }>('SubmitJob', {
        tenantId: 'site-b',
        subjectId: 'lead-2',
        requestedBy: 'user-2',
        units: 2,
        input: {
          simulate: { failTimes: 99, errorCode: 'ModelTimeout', errorMessage: 'no answer' },
        },
      }),
    );
    await eventually(
      async () => expect(await job(jobId)).toMatchObject({ status: 'failed' }),
      30_000,
    );
    expect(await job(jobId)).toMatchObject({
      retryCount: 3,
      errorCode: 'ModelTimeout',
      errorMessage: 'no answer',
      nextRetryAt: null,
    });
    await eventually(async () =>
      expect(await usage('site-b')).toMatchObject({ used: 0, reserved: 0, remaining: 20 }),
    );
    const failed = ok(
      await quota.ask<{ items: Array<{ jobId: string }>; total: number }>('ListJobs', {
        tenantId: 'site-b',
        status: 'failed',
      }),
    );
    expect(failed).toMatchObject({ total: 1, items: [{ jobId }] });
  });

  it('refuses a job with QUOTA_EXCEEDED when no quota is left', async () => {
    ok(await quota.send('SetQuotaLimit', { tenantId: 'site-c', meter: 'ai_evaluation', limit: 1 }));
    ok(
      await quota.send('SubmitJob', { tenantId: 'site-c', subjectId: 'lead-3', requestedBy: 'u' }),
    );
    const refused = await quota.send('SubmitJob', {
      tenantId: 'site-c',
      subjectId: 'lead-4',
      requestedBy: 'u',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } });
  });

  it('takes StartJob / FailJob from external workers and refuses a wrong transition', async () => {
    const { jobId } = ok(
      await quota.send<{ jobId: string }>('SubmitJob', {
        tenantId: 'site-d',
        subjectId: 's',
        requestedBy: 'u',
      }),
    );
    await eventually(
      async () => expect(await job(jobId)).toMatchObject({ status: 'completed' }),
      30_000,
    );
    const again = await quota.send('CompleteJob', { jobId });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(
      await quota.send('StartJob', { jobId: '00000000-0000-4000-8000-000000000001' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
