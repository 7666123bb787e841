import { eventually } from '@rcp/testing';
import { startTestSystem, type TestSystem } from './support/system';

describe('a real state rolled out end to end', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem('e2e_rollout', {
      ORCH_PHASE_DEADLINE_MS: '120000',
      RCP_ACK_WAIT_MS: '3000',
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('rolls DC out through all six phases with discovery, and the ledger prices every call', async () => {
    const started = await system.command<{ stateRolloutId: string; totalCommunities: number }>(
      'cmd.orchestrator.StartStateRollout',
      { stateCode: 'dc', initiatedBy: 'e2e', settings: { batchSize: 5, throttleMs: 0 } },
    );
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    const { stateRolloutId, totalCommunities } = started.data;
    expect(totalCommunities).toBe(5);

    const progress = await eventually(
      async () => {
        const p = await system.ask('qry.orchestrator.GetStateProgress', { stateRolloutId });
        expect(p.status).toBe('completed');
        return p;
      },
      150_000,
      500,
    );
    expect(progress.completedCommunities + progress.failedCommunities).toBe(5);
    expect(progress.completedCommunities).toBeGreaterThan(0);
    expect(progress.phaseBreakdown['6'].completed).toBe(progress.completedCommunities);
    expect(progress.totalBusinessesDiscovered).toBeGreaterThan(0);

    const communities = (
      await system.ask('qry.orchestrator.ListCommunityRollouts', {
        stateRolloutId,
        status: 'completed',
      })
    ).items;
    for (const c of communities) {
      expect(c.phases.map((p: { status: string }) => p.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
      ]);
      expect(c.counters.directoryListingsCreated).toBeGreaterThan(0);
    }

    const apiCalls = communities.reduce(
      (n: number, c: { counters: { apiCallsMade: number } }) => n + c.counters.apiCallsMade,
      0,
    );
    const cost = await eventually(
      async () => {
        const summary = await system.ask('qry.ledger.GetCostSummary', {
          stateRolloutId,
          groupBy: 'sku',
        });
        const orchestrator = await system.ask('qry.orchestrator.GetStateProgress', {
          stateRolloutId,
        });
        expect(summary.totalRequests).toBeGreaterThan(0);
        expect(summary.totalRequests).toBeGreaterThanOrEqual(apiCalls);
        expect(Number(summary.totalCost)).toBeGreaterThan(0);
        expect(orchestrator.totalApiCost).not.toBe('0.00');
        return summary;
      },
      30_000,
      500,
    );
    expect(cost.groups.map((g: { key: string }) => g.key)).toEqual(
      expect.arrayContaining(['essentials']),
    );
  });
});
