import {
  CreateFlagCommand,
  EvaluateQuery,
  GetFlagQuery,
  GetRolloutHistoryQuery,
  ScheduleRampCommand,
  STREAMS,
  type FlagView,
  type RolloutHistoryReply,
  type ScheduleRampReply,
} from '@rcp/contracts';
import type { NatsConnection } from '@rcp/messaging';
import {
  eventually,
  readStream,
  spawnDist,
  startTestInfra,
  type NodeProcess,
  type TestInfra,
} from '@rcp/testing';
import { clientConnection, commandFields, sendOk } from './flags-test-kit';

const INTERVAL_MS = 1_500;

describe('flags service as a process: durable ramps and the environment override', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let service: NodeProcess | undefined;

  const boot = async (env: Record<string, string> = {}) => {
    service = spawnDist('apps/flags/src/main.js', {
      NATS_URL: infra.natsUrl,
      DATABASE_URL: infra.databaseUrl,
      LOG_LEVEL: 'info',
      FLAGS_EMERGENCY_STOP: '',
      ...env,
    });
    await service.waitForOutput(/service started/, 30_000);
  };

  beforeAll(async () => {
    infra = await startTestInfra('flags_ramp');
    nc = await clientConnection(infra);
  });

  afterAll(async () => {
    await service?.stop();
    await nc?.drain();
    await infra?.stop();
  });

  const percentage = async (flag: string) =>
    (await sendOk<FlagView>(nc, GetFlagQuery, { flag })).rolloutPercentage;

  it('advances a ramp on schedule across a SIGKILL and restart of the service', async () => {
    await boot();
    const flag = 'ramped';
    await sendOk(nc, CreateFlagCommand, { ...commandFields(), flag, settings: { isActive: true } });
    const plan = await sendOk<ScheduleRampReply>(nc, ScheduleRampCommand, {
      ...commandFields(),
      flag,
      fromPercentage: 10,
      stepPercentage: 10,
      toPercentage: 40,
      intervalMs: INTERVAL_MS,
      reason: 'gradual',
    });
    expect(plan.steps.map((s) => s.percentage)).toEqual([10, 20, 30, 40]);
    await eventually(async () => expect(await percentage(flag)).toBe(10), 10_000);

    service!.child.kill('SIGKILL');
    await service!.exited;
    // Step 2 falls due while the service is down.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 200));
    await boot();
    await eventually(async () => expect(await percentage(flag)).toBe(40), 20_000);

    const steps = (
      await readStream<{ data: { stepIndex: number; newPercentage: number; appliedAt: string } }>(
        nc,
        STREAMS.events,
        'events.flags.RampStepApplied.*',
      )
    ).map((e) => e.data.data);
    expect(steps.map((s) => [s.stepIndex, s.newPercentage])).toEqual([
      [0, 10],
      [1, 20],
      [2, 30],
      [3, 40],
    ]);
    steps.forEach((s, i) =>
      expect(Date.parse(s.appliedAt)).toBeGreaterThanOrEqual(Date.parse(plan.steps[i].at)),
    );
    const history = await eventually(async () => {
      const page = await sendOk<RolloutHistoryReply>(nc, GetRolloutHistoryQuery, { flag });
      expect(page.items.filter((h) => h.action === 'ramp_step')).toHaveLength(4);
      return page.items.reverse();
    });
    expect(
      history
        .filter((h) => h.action === 'ramp_step')
        .map((h) => [h.previousPercentage, h.newPercentage, h.triggeredBy]),
    ).toEqual([
      [0, 10, 'schedule'],
      [10, 20, 'schedule'],
      [20, 30, 'schedule'],
      [30, 40, 'schedule'],
    ]);
    expect((await sendOk<FlagView>(nc, GetFlagQuery, { flag })).ramp).toBeNull();
  });

  it('stops flags named in FLAGS_EMERGENCY_STOP at start, logs it and records it', async () => {
    await service?.stop();
    await boot({ FLAGS_EMERGENCY_STOP: 'ramped' });
    await service!.waitForOutput(/FLAGS_EMERGENCY_STOP override active/);
    await eventually(async () =>
      expect(await sendOk<FlagView>(nc, GetFlagQuery, { flag: 'ramped' })).toMatchObject({
        emergencyStop: true,
        emergencyStopSource: 'environment',
      }),
    );
    expect(await sendOk(nc, EvaluateQuery, { flag: 'ramped', subjectId: 'anyone' })).toMatchObject({
      enabled: false,
      reason: 'emergency_stop',
    });
    const page = await eventually(async () => {
      const p = await sendOk<RolloutHistoryReply>(nc, GetRolloutHistoryQuery, { flag: 'ramped' });
      expect(p.items[0].action).toBe('emergency_stop');
      return p;
    });
    expect(page.items[0]).toMatchObject({
      actor: 'environment',
      previousPercentage: 40,
      metadata: { source: 'environment' },
    });
  });
});
