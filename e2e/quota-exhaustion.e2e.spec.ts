import type {
  ApiUsageRecorded,
  CommunityPhaseFailed,
  EventEnvelope,
  QuotaReply,
  StateProgressReply,
} from '@rcp/contracts';
import type { NatsConnection } from '@rcp/messaging';
import { eventually, readStream } from '@rcp/testing';
import { rollOutTowns, startTestSystem, type TestSystem } from './support/system';

const TENANT = 'e2e-places';
const METER = 'google_places.essentials';
const LIMIT = 10;
const STATE = 'VT';

/** Orchestrator in milliseconds, a small discovery (1 dense + 1 sparse search per community). */
const SERVICE_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  METRICS_PORT: '0',
  RCP_ACK_WAIT_MS: '2000',
  ORCH_RETRY_BACKOFF_MS: '50,100,150',
  ORCH_PHASE_DEADLINE_MS: '20000',
  ORCH_IMPORT_REGISTRY: 'false',
  ORCH_QUALITY_GATE: '{}',
  DISCOVERY_QUOTA: 'on',
  DISCOVERY_FLAGS: 'off',
  DISCOVERY_QUOTA_TENANT: TENANT,
  DISCOVERY_POLL_MS: '50',
  DISCOVERY_DENSE_CATEGORIES: 'restaurant',
  DISCOVERY_SPARSE_CATEGORIES: 'park',
  DISCOVERY_TEXT_QUERIES: '',
  SIM_WEB_SLOW_MS: '50',
  SCAN_TIMEOUT_MS: '1000',
};

describe('e2e: a rollout that exhausts a small Places quota', () => {
  let system: TestSystem;
  let nc: NatsConnection;

  beforeAll(async () => {
    system = await startTestSystem('e2e_quota', SERVICE_ENV, {
      services: ['orchestrator', 'discovery', 'quota'],
    });
    nc = system.nc;
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('fails phase 1 with QUOTA_EXCEEDED (not retryable), pauses the state, never overruns the cap', async () => {
    await system.send('cmd.quota.SetQuotaLimit', { tenantId: TENANT, meter: METER, limit: LIMIT });
    await rollOutTowns(
      system,
      {
        stateCode: STATE,
        label: 'Quota',
        count: 6,
        population: 100_000,
        latitude: 44,
        longitude: -72.5,
      },
      { batchSize: 2, throttleMs: 0, skipEnrichment: true },
    );

    const progress = await eventually(
      async () => {
        const p = await system.ask<StateProgressReply>('qry.orchestrator.GetStateProgress', {
          stateCode: STATE,
        });
        expect(p.status).toBe('paused');
        return p;
      },
      45_000,
      200,
    );
    expect(progress.statusReason).toContain('QUOTA_EXCEEDED');

    const failures = (
      await readStream<EventEnvelope<CommunityPhaseFailed>>(
        nc,
        'ROLLOUT_EVENTS',
        `events.discovery.CommunityPhaseFailed.${STATE}`,
      )
    ).map((e) => e.data.data);
    expect(failures.some((f) => f.error.code === 'QUOTA_EXCEEDED')).toBe(true);
    for (const f of failures.filter((x) => x.error.code === 'QUOTA_EXCEEDED')) {
      expect(f).toMatchObject({ phase: 1, retryable: false });
      expect(f.error.message).toContain(METER);
    }

    // Once every reservation is settled, the quota's usage is exactly the billed calls, within the cap.
    const quota = await eventually(
      async () => {
        const q = await system.ask<QuotaReply>('qry.quota.GetQuota', {
          tenantId: TENANT,
          meter: METER,
        });
        const billed = (
          await readStream<EventEnvelope<ApiUsageRecorded>>(
            nc,
            'ROLLOUT_EVENTS',
            `events.discovery.ApiUsageRecorded.${STATE}`,
          )
        ).filter((e) => e.data.data.skuTier === 'essentials').length;
        expect(q.reserved).toBe(0);
        expect(q.used).toBe(billed);
        return q;
      },
      30_000,
      200,
    );
    expect(quota.limit).toBe(LIMIT);
    expect(quota.used).toBeGreaterThan(0);
    expect(quota.used).toBeLessThanOrEqual(LIMIT);
  }, 120_000);
});
