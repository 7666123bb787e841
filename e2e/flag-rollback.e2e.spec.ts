import {
  DISCOVERY_FLAGS,
  type ApiUsageRecorded,
  type CommunityPhaseCompleted,
  type CommunityPhaseFailed,
  type EventEnvelope,
  type FlagView,
  type RolloutHistoryEntry,
} from '@rcp/contracts';
import type { NatsConnection } from '@rcp/messaging';
import { eventually, readStream } from '@rcp/testing';
import { rollOutTowns, startTestSystem, type TestSystem } from './support/system';

const FLAG = DISCOVERY_FLAGS.denseNearbySearch;
const STATE = 'ME';
const COMMUNITIES = 12;

/**
 * Every Nearby Search fails (SIM_PLACES_NEARBY_ERROR_RATE=1) and phase 1 has one dense category
 * only, so the flagged path (dense by Nearby Search) fails the phase and the default path
 * (paginated Text Search) completes it. Retries wait long enough for the rollback to arrive.
 */
const SERVICE_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  METRICS_PORT: '0',
  RCP_ACK_WAIT_MS: '2000',
  ORCH_RETRY_BACKOFF_MS: '3000,3000,3000',
  ORCH_PHASE_DEADLINE_MS: '20000',
  ORCH_IMPORT_REGISTRY: 'false',
  ORCH_QUALITY_GATE: '{}',
  DISCOVERY_QUOTA: 'off',
  DISCOVERY_POLL_MS: '50',
  DISCOVERY_DENSE_CATEGORIES: 'restaurant',
  DISCOVERY_SPARSE_CATEGORIES: '',
  DISCOVERY_TEXT_QUERIES: '',
  SIM_PLACES_NEARBY_ERROR_RATE: '1',
  SIM_WEB_SLOW_MS: '50',
  SCAN_TIMEOUT_MS: '1000',
};

async function events<T>(nc: NatsConnection, type: string): Promise<T[]> {
  const found = await readStream<EventEnvelope<T>>(
    nc,
    'ROLLOUT_EVENTS',
    `events.discovery.${type}.${STATE}`,
  );
  return found.map((m) => m.data.data);
}

describe('e2e: a flagged discovery path that fails rolls itself back', () => {
  let system: TestSystem;
  let nc: NatsConnection;

  beforeAll(async () => {
    system = await startTestSystem('e2e_flags', SERVICE_ENV, {
      services: ['orchestrator', 'flags'],
    });
    nc = system.nc;
    // The flag exists before discovery starts, so discovery routes its first phases by it.
    await system.send('cmd.flags.CreateFlag', {
      flag: FLAG,
      rolloutPercentage: 100,
      settings: { isActive: true, maxErrorRate: 5, autoRollbackEnabled: true },
    });
    await system.start(['discovery']);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('rolls the flag back to 0 % after 10 failing phase runs; retries then take the default path', async () => {
    await rollOutTowns(
      system,
      {
        stateCode: STATE,
        label: 'Flag',
        count: COMMUNITIES,
        population: 20_000,
        latitude: 44.5,
        longitude: -69.5,
      },
      { batchSize: COMMUNITIES, throttleMs: 0, skipEnrichment: true },
    );

    const flag = await eventually(
      async () => {
        const view = await system.ask<FlagView>('qry.flags.GetFlag', { flag: FLAG });
        expect(view.rolloutPercentage).toBe(0);
        return view;
      },
      45_000,
      200,
    );
    expect(flag.isActive).toBe(true);
    const rollbacks = await eventually(async () => {
      const history = await system.ask<{ items: RolloutHistoryEntry[] }>(
        'qry.flags.GetRolloutHistory',
        { flag: FLAG },
      );
      const found = history.items.filter((h) => h.triggeredBy === 'auto_rollback');
      expect(found).toHaveLength(1);
      return found;
    }, 15_000);
    expect(rollbacks[0]).toMatchObject({ previousPercentage: 100, newPercentage: 0 });

    // The flagged runs failed; every community then completes phase 1 on the default path.
    const completed = await eventually(
      async () => {
        const done = (await events<CommunityPhaseCompleted>(nc, 'CommunityPhaseCompleted')).filter(
          (e) => e.phase === 1,
        );
        expect(done).toHaveLength(COMMUNITIES);
        return done;
      },
      45_000,
      250,
    );
    const failed = (await events<CommunityPhaseFailed>(nc, 'CommunityPhaseFailed')).filter(
      (e) => e.phase === 1,
    );
    expect(failed.length).toBeGreaterThanOrEqual(10);
    expect(failed.every((f) => f.error.code === 'ALL_CALLS_FAILED')).toBe(true);
    const usage = await events<ApiUsageRecorded>(nc, 'ApiUsageRecorded');
    // Retries of flagged runs (and any run that started after the rollback) took Text Search.
    expect(completed.filter((d) => d.attempt > 1).length).toBeGreaterThanOrEqual(10);
    for (const done of completed) {
      const calls = usage.filter(
        (u) => u.communityRolloutId === done.communityRolloutId && u.phase === 1,
      );
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((u) => u.endpoint === 'text_search')).toBe(true);
    }
  }, 120_000);
});
