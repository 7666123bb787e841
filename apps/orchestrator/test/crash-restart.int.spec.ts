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

const COMMUNITIES = 25;
const SLOW_RETRIES = { ORCH_RETRY_BACKOFF_MS: '600,600,600' };

/** Same answers for the same community position in any state: every 4th fails phase 2 once. */
function script(r: CommunityPhaseRequested): ScriptedOutcome {
  const index = Number(r.communityName.slice(-4));
  if (r.phase === 2 && r.attempt === 1 && index % 4 === 0) return { ok: false, code: 'SITE_DOWN' };
  return { ok: true, counters: { businessesDiscovered: index % 7, newsSourcesCreated: index % 3 } };
}

/** What must be equal between two runs: everything but ids and times. */
async function outcome(nc: NatsConnection, stateCode: string) {
  const p = await query(nc, 'GetStateProgress', { stateCode });
  const items = (await query(nc, 'ListCommunityRollouts', { stateCode, limit: 1000 })).items;
  const communities = items
    .map((c: any) => ({
      name: c.communityName.slice(3),
      status: c.status,
      retryCount: c.retryCount,
      counters: c.counters,
      phases: c.phases.map((x: any) => x.status),
      errors: c.errorLog.map((e: any) => [e.phase, e.code]),
    }))
    .sort((a: any, b: any) => a.name.localeCompare(b.name));
  const {
    status,
    totalCommunities,
    completedCommunities,
    failedCommunities,
    totalBusinessesDiscovered,
    totalNewsSourcesCreated,
    statusBreakdown,
    phaseBreakdown,
  } = p;
  return {
    state: {
      status,
      totalCommunities,
      completedCommunities,
      failedCommunities,
      totalBusinessesDiscovered,
      totalNewsSourcesCreated,
      statusBreakdown,
      phaseBreakdown,
    },
    communities,
  };
}

describe('orchestrator SIGKILLed mid-rollout', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let orchestrator: NodeProcess;
  let worker: ScriptedWorker;

  beforeAll(async () => {
    infra = await startTestInfra('orch_crash');
    nc = await connectNats({ url: infra.natsUrl, name: 'test' });
    orchestrator = await startOrchestrator(infra, nc, SLOW_RETRIES);
    worker = await startScriptedWorker(nc, script, { holdMs: 10 });
  });

  afterAll(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await nc?.close();
    await infra?.stop();
  });

  const runTo = (stateCode: string) =>
    eventually(
      async () =>
        expect((await query(nc, 'GetStateProgress', { stateCode })).status).toBe('completed'),
      60_000,
      100,
    );

  it('resumes where it stopped: no double dispatch, retry timers fire, the end state equals an undisturbed run', async () => {
    await importCommunities(nc, 'WA', COMMUNITIES);
    await importCommunities(nc, 'OR', COMMUNITIES);
    await ok(
      command(nc, 'StartStateRollout', {
        stateCode: 'WA',
        initiatedBy: 'ops',
        settings: { batchSize: 5, throttleMs: 0 },
      }),
    );
    await runTo('WA');
    const undisturbed = await outcome(nc, 'WA');

    await ok(
      command(nc, 'StartStateRollout', {
        stateCode: 'OR',
        initiatedBy: 'ops',
        settings: { batchSize: 5, throttleMs: 0 },
      }),
    );
    const requestsOf = () => worker.requests.filter((r) => r.stateCode === 'OR');
    await eventually(
      () =>
        expect(
          requestsOf().filter((r) => r.attempt === 2).length === 0 &&
            requestsOf().some(
              (r) =>
                r.phase === 2 && r.attempt === 1 && Number(r.communityName.slice(-4)) % 4 === 0,
            ),
        ).toBe(true),
      30_000,
      5,
    );
    orchestrator.child.kill('SIGKILL');
    await orchestrator.exited;
    const retriesBeforeKill = requestsOf().filter((r) => r.attempt === 2).length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    orchestrator = await startOrchestrator(infra, nc, SLOW_RETRIES);
    await runTo('OR');

    expect(retriesBeforeKill).toBe(0);
    const disturbed = await outcome(nc, 'OR');
    expect(disturbed).toEqual(undisturbed);
    expect(disturbed.communities.filter((c: any) => c.retryCount === 1)).toHaveLength(
      Math.floor(COMMUNITIES / 4),
    );
    const keys = requestsOf().map((r) => `${r.communityRolloutId}:${r.phase}:${r.attempt}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(worker.maxConcurrent()).toBeLessThanOrEqual(10);
  });
});
