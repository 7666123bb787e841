import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { CommunityPhaseRequested } from '@rcp/contracts';
import { connectNats, type NatsConnection } from '@rcp/messaging';
import { eventually, startTestInfra, type NodeProcess, type TestInfra } from '@rcp/testing';
import {
  command,
  importCommunities,
  ok,
  query,
  startOrchestrator,
} from './support/orchestrator-harness';
import {
  startScriptedWorker,
  type ScriptedOutcome,
  type ScriptedWorker,
} from './support/scripted-phase-worker';

/** Per state, how a phase answers: tests script their own state's communities. */
const scripts = new Map<string, (r: CommunityPhaseRequested) => ScriptedOutcome>();

describe('orchestrator rollout lifecycle', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let orchestrator: NodeProcess;
  let worker: ScriptedWorker;

  beforeAll(async () => {
    infra = await startTestInfra('orch_lifecycle');
    nc = await connectNats({ url: infra.natsUrl, name: 'test' });
    orchestrator = await startOrchestrator(infra, nc, {
      ORCH_QUALITY_GATE: '{"businessesDiscovered":1}',
    });
    worker = await startScriptedWorker(
      nc,
      (r) => (scripts.get(r.stateCode) ?? (() => ({ ok: true })))(r),
      { holdMs: 5 },
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await nc?.close();
    await infra?.stop();
  });

  const start = (stateCode: string, settings: Record<string, unknown> = {}) =>
    ok(
      command<{ stateRolloutId: string; totalCommunities: number }>(nc, 'StartStateRollout', {
        stateCode,
        initiatedBy: 'ops',
        settings: { throttleMs: 0, ...settings },
      }),
    );
  const progress = (stateCode: string) => query(nc, 'GetStateProgress', { stateCode });
  const completed = (stateCode: string) =>
    eventually(
      async () => {
        const p = await progress(stateCode);
        expect(p.status).toBe('completed');
        return p;
      },
      45_000,
      50,
    );
  const communityOf = async (stateCode: string, index: number) =>
    (await query(nc, 'ListCommunityRollouts', { stateCode, limit: 1000 })).items[index];

  it('retries a phase that fails twice and then succeeds: completed with retry_count 2', async () => {
    await importCommunities(nc, 'NH', 3);
    const tries = new Map<string, number>();
    scripts.set('NH', (r) => {
      if (r.phase !== 2) return { ok: true };
      const n = (tries.get(r.communityRolloutId) ?? 0) + 1;
      tries.set(r.communityRolloutId, n);
      return n <= 2 ? { ok: false, code: 'SITE_DOWN', message: `try ${n} failed` } : { ok: true };
    });
    await start('NH');
    const p = await completed('NH');
    expect(p).toMatchObject({ completedCommunities: 3, failedCommunities: 0 });
    const community = await query(nc, 'GetCommunityRollout', {
      communityRolloutId: (await communityOf('NH', 0)).communityRolloutId,
    });
    expect(community).toMatchObject({ status: 'completed', retryCount: 2 });
    expect(
      community.errorLog.map((e: { code: string; phase: number }) => [e.phase, e.code]),
    ).toEqual([
      [2, 'SITE_DOWN'],
      [2, 'SITE_DOWN'],
    ]);
    expect(
      worker.requests
        .filter((r) => r.stateCode === 'NH' && r.phase === 2)
        .map((r) => r.attempt)
        .sort(),
    ).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('fails a community after three failed tries and still completes the state', async () => {
    await importCommunities(nc, 'ME', 4);
    const doomed = (await query(nc, 'ListCommunities', { stateCode: 'ME' })).items[0].communityId;
    scripts.set('ME', (r) =>
      r.communityId === doomed && r.phase === 3 ? { ok: false, code: 'FEED_BROKEN' } : { ok: true },
    );
    await start('ME');
    const p = await completed('ME');
    expect(p).toMatchObject({
      completedCommunities: 3,
      failedCommunities: 1,
      progressPercentage: 75,
    });
    expect(p.statusBreakdown).toMatchObject({ completed: 3, failed: 1 });
    const failed = (await query(nc, 'ListCommunityRollouts', { stateCode: 'ME', status: 'failed' }))
      .items[0];
    expect(failed).toMatchObject({
      communityId: doomed,
      status: 'failed',
      retryCount: 2,
      currentPhase: 3,
    });
    expect(failed.phases[2]).toMatchObject({ phase: 3, status: 'failed' });
  });

  it('fails a community without a location in phase 1 at once, without asking a worker', async () => {
    await importCommunities(nc, 'ND', 3, { withoutLocation: [1] });
    await start('ND');
    const p = await completed('ND');
    expect(p).toMatchObject({ completedCommunities: 2, failedCommunities: 1 });
    const failed = (await query(nc, 'ListCommunityRollouts', { stateCode: 'ND', status: 'failed' }))
      .items[0];
    expect(failed.errorLog[0]).toMatchObject({ phase: 1, code: 'NO_LOCATION' });
    expect(
      worker.requests.filter((r) => r.communityRolloutId === failed.communityRolloutId),
    ).toHaveLength(0);
  });

  it('marks phase 4 skipped under skipEnrichment and fails the phase-5 gate with its reason', async () => {
    await importCommunities(nc, 'SD', 2);
    const empty = (await query(nc, 'ListCommunities', { stateCode: 'SD' })).items[1].communityId;
    scripts.set('SD', (r) => ({
      ok: true,
      counters: { businessesDiscovered: r.communityId === empty ? 0 : 4 },
    }));
    await start('SD', { skipEnrichment: true });
    const p = await completed('SD');
    expect(p).toMatchObject({ completedCommunities: 1, failedCommunities: 1 });
    expect(p.phaseBreakdown['4']).toMatchObject({ skipped: 2 });
    expect(worker.requests.filter((r) => r.stateCode === 'SD' && r.phase === 4)).toHaveLength(0);
    const failed = (await query(nc, 'ListCommunityRollouts', { stateCode: 'SD', status: 'failed' }))
      .items[0];
    expect(failed.errorLog[0]).toMatchObject({ phase: 5, code: 'QUALITY_GATE_FAILED' });
    expect(failed.errorLog[0].error).toMatch(/businessesDiscovered 0 < 1/);
  });

  it('refuses a second active rollout for a state, naming the active one, and unknown or empty states', async () => {
    await importCommunities(nc, 'WY', 2);
    scripts.set('WY', () => ({ silent: true }));
    const first = await start('WY');
    const second = await command(nc, 'StartStateRollout', { stateCode: 'WY', initiatedBy: 'ops' });
    expect(second).toMatchObject({ ok: false, error: { code: 'ROLLOUT_ALREADY_ACTIVE' } });
    expect(!second.ok && second.error.message).toContain(first.stateRolloutId);
    expect(
      await command(nc, 'StartStateRollout', { stateCode: 'XX', initiatedBy: 'ops' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ field: 'stateCode' }] },
    });
    expect(
      await command(nc, 'StartStateRollout', { stateCode: 'AK', initiatedBy: 'ops' }),
    ).toMatchObject({ ok: false, error: { code: 'NO_COMMUNITIES' } });
    await ok(command(nc, 'CancelStateRollout', { stateCode: 'WY', reason: 'test over' }));
    expect((await progress('WY')).status).toBe('cancelled');
  });

  it('pauses: no new dispatch, running communities finish, queued become paused; resume continues to the end', async () => {
    await importCommunities(nc, 'ID', 12);
    let release = false;
    scripts.set('ID', (r) => (r.phase === 1 && !release ? { silent: true } : { ok: true }));
    const { stateRolloutId } = await start('ID', { batchSize: 3 });
    await eventually(() =>
      expect(worker.requests.filter((r) => r.stateRolloutId === stateRolloutId)).toHaveLength(3),
    );
    await ok(command(nc, 'PauseStateRollout', { stateCode: 'ID', reason: 'maintenance' }));
    const paused = await progress('ID');
    expect(paused).toMatchObject({ status: 'paused', statusReason: 'maintenance' });
    expect(paused.statusBreakdown).toMatchObject({ paused: 9, phase_1_discovery: 3, queued: 0 });

    // The three running communities answer and run to the end; nothing new is dispatched.
    release = true;
    for (const r of worker.requests.filter((x) => x.stateRolloutId === stateRolloutId)) {
      await jetstream(nc).publish(
        `events.discovery.CommunityPhaseCompleted.ID`,
        JSON.stringify({
          id: randomUUID(),
          type: 'CommunityPhaseCompleted',
          version: 1,
          occurredAt: new Date().toISOString(),
          source: 'discovery',
          aggregate: { type: 'CommunityPhase', id: r.communityRolloutId, version: 1 },
          correlationId: r.communityRolloutId,
          causationId: null,
          actor: 'test',
          data: {
            communityRolloutId: r.communityRolloutId,
            stateRolloutId,
            communityId: r.communityId,
            stateCode: 'ID',
            phase: 1,
            attempt: r.attempt,
            counters: { businessesDiscovered: 1 },
            completedAt: new Date().toISOString(),
          },
        }),
      );
    }
    await eventually(async () =>
      expect((await progress('ID')).statusBreakdown).toMatchObject({ completed: 3, paused: 9 }),
    );
    expect(
      new Set(
        worker.requests
          .filter((r) => r.stateRolloutId === stateRolloutId)
          .map((r) => r.communityRolloutId),
      ).size,
    ).toBe(3);

    await ok(command(nc, 'ResumeStateRollout', { stateCode: 'ID' }));
    const done = await completed('ID');
    expect(done).toMatchObject({ completedCommunities: 12, failedCommunities: 0 });
  });

  it('raises the in-flight ceiling when UpdateRolloutSettings sets batch size 10 mid-rollout', async () => {
    await importCommunities(nc, 'DE', 30);
    scripts.set('DE', () => ({ silent: true }));
    const { stateRolloutId } = await start('DE', { batchSize: 3 });
    const sent = () => worker.requests.filter((r) => r.stateRolloutId === stateRolloutId).length;
    await eventually(() => expect(sent()).toBe(3));
    await ok(
      command(nc, 'UpdateRolloutSettings', { stateCode: 'DE', settings: { batchSize: 10 } }),
    );
    await eventually(() => expect(sent()).toBe(10));
    expect((await progress('DE')).settings).toMatchObject({ batchSize: 10, throttleMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent()).toBe(10);
    await ok(command(nc, 'CancelStateRollout', { stateRolloutId }));
  });

  it('pauses the state rollout when a phase fails with QUOTA_EXCEEDED, and when the budget is exceeded', async () => {
    await importCommunities(nc, 'RI', 6);
    scripts.set('RI', (r) =>
      r.phase === 1
        ? {
            ok: false,
            code: 'QUOTA_EXCEEDED',
            message: 'google_places.essentials: 0 left this month',
            retryable: false,
          }
        : { ok: true },
    );
    await start('RI', { batchSize: 2 });
    await eventually(async () =>
      expect(await progress('RI')).toMatchObject({
        status: 'paused',
        statusReason: expect.stringMatching(/QUOTA_EXCEEDED/),
      }),
    );

    await importCommunities(nc, 'MT', 6);
    scripts.set('MT', () => ({ silent: true }));
    const { stateRolloutId } = await start('MT', { batchSize: 2, budget: '10.00' });
    await jetstream(nc).publish(
      'events.ledger.BudgetExceeded.MT',
      JSON.stringify({
        id: randomUUID(),
        type: 'BudgetExceeded',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'ledger',
        aggregate: { type: 'Budget', id: stateRolloutId, version: 3 },
        correlationId: stateRolloutId,
        causationId: null,
        actor: 'ledger',
        data: {
          stateRolloutId,
          stateCode: 'MT',
          budget: '10.00',
          spent: '10.25',
          exceededAt: new Date().toISOString(),
        },
      }),
    );
    await eventually(async () =>
      expect(await progress('MT')).toMatchObject({
        status: 'paused',
        statusReason: expect.stringMatching(/budget 10.00 exceeded/),
      }),
    );
  });
});
