import { connectNats, type NatsConnection } from '@rcp/messaging';
import { eventually, startTestInfra, type NodeProcess, type TestInfra } from '@rcp/testing';
import { Client } from 'pg';
import {
  command,
  importCommunities,
  ok,
  query,
  startOrchestrator,
} from './support/orchestrator-harness';
import { startScriptedWorker, type ScriptedWorker } from './support/scripted-phase-worker';

describe('orchestrator dispatch', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let orchestrator: NodeProcess;
  let pg: Client;
  const workers: ScriptedWorker[] = [];

  beforeAll(async () => {
    infra = await startTestInfra('orch_dispatch');
    nc = await connectNats({ url: infra.natsUrl, name: 'test' });
    orchestrator = await startOrchestrator(infra, nc);
    pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await orchestrator?.stop();
    await pg?.end();
    await nc?.close();
    await infra?.stop();
  });

  const inFlight = async (stateRolloutId: string) =>
    Number(
      (
        await pg.query(
          `SELECT count(*) AS n FROM orchestrator.community_rollouts WHERE state_rollout_id = $1 AND status LIKE 'phase_%'`,
          [stateRolloutId],
        )
      ).rows[0].n,
    );

  it('never has more than 5 of 40 communities in flight, dispatches priority communities first, and completes', async () => {
    await importCommunities(nc, 'VT', 40);
    const communities = await query(nc, 'ListCommunities', { stateCode: 'VT', limit: 100 });
    const priority = [communities.items[39].communityId, communities.items[30].communityId];
    const worker = await startScriptedWorker(
      nc,
      () => ({ ok: true, counters: { businessesDiscovered: 2, newsSourcesCreated: 1 } }),
      { holdMs: 15 },
    );
    workers.push(worker);

    const started = await ok(
      command<{ stateRolloutId: string }>(nc, 'StartStateRollout', {
        stateCode: 'vt',
        initiatedBy: 'ops',
        settings: { batchSize: 5, throttleMs: 0, priorityCommunities: priority },
      }),
    );
    let maxInFlight = 0;
    const progress = await eventually(
      async () => {
        maxInFlight = Math.max(maxInFlight, await inFlight(started.stateRolloutId));
        const p = await query(nc, 'GetStateProgress', { stateCode: 'VT' });
        expect(p.status).toBe('completed');
        return p;
      },
      60_000,
      20,
    );

    expect(maxInFlight).toBeLessThanOrEqual(5);
    expect(worker.maxConcurrent()).toBeLessThanOrEqual(5);
    expect(worker.maxConcurrent()).toBeGreaterThan(1);
    const firstDispatched = worker.requests
      .filter((r) => r.phase === 1)
      .slice(0, 2)
      .map((r) => r.communityId);
    expect(firstDispatched).toEqual(priority);
    expect(progress).toMatchObject({
      totalCommunities: 40,
      completedCommunities: 40,
      failedCommunities: 0,
      progressPercentage: 100,
      totalBusinessesDiscovered: 40 * 5 * 2,
      totalNewsSourcesCreated: 40 * 5,
    });
    expect(progress.statusBreakdown.completed).toBe(40);
    expect(progress.phaseBreakdown['4']).toMatchObject({ completed: 40 });
    expect(progress.phaseBreakdown['5']).toMatchObject({ completed: 40 });
    expect(worker.requests.filter((r) => r.phase === 5)).toHaveLength(0);
  });
});
