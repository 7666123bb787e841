import {
  AllowSubjectsCommand,
  CreateFlagCommand,
  DenySubjectsCommand,
  EmergencyStopCommand,
  EvaluateQuery,
  GetFlagQuery,
  GetRolloutHistoryQuery,
  ListFlagsQuery,
  ReleaseEmergencyStopCommand,
  SetRolloutPercentageCommand,
  SetStrategyCommand,
  STREAMS,
  UpdateFlagCommand,
  type EvaluateReply,
  type FlagView,
  type RolloutHistoryReply,
} from '@rcp/contracts';
import type { NatsConnection } from '@rcp/messaging';
import { eventually, readStream, startTestInfra, tableHash, type TestInfra } from '@rcp/testing';
import {
  clientConnection,
  commandFields,
  send,
  sendOk,
  startFlagsApp,
  type FlagsApp,
} from './flags-test-kit';

describe('flags service: commands, evaluation, history (real NATS + PostgreSQL)', () => {
  let infra: TestInfra;
  let service: FlagsApp;
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra('flags');
    service = await startFlagsApp(infra);
    nc = await clientConnection(infra);
  });

  afterAll(async () => {
    await nc?.drain();
    await service?.close();
    await infra?.stop();
  });

  const evaluate = (flag: string, subjectId: string) =>
    sendOk<EvaluateReply>(nc, EvaluateQuery, { flag, subjectId });

  it('refuses bad input with structured errors and an unknown flag with FLAG_NOT_FOUND', async () => {
    const bad = await send(nc, CreateFlagCommand, {
      ...commandFields(),
      flag: 'bad name!',
      rolloutPercentage: 101,
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(!bad.ok && bad.error.details.map((d) => d.field).sort()).toEqual([
      'flag',
      'rolloutPercentage',
    ]);
    expect(await send(nc, EvaluateQuery, { flag: 'missing', subjectId: 's' })).toMatchObject({
      ok: false,
      error: { code: 'FLAG_NOT_FOUND' },
    });
    expect(
      await send(nc, SetRolloutPercentageCommand, {
        ...commandFields(),
        flag: 'missing',
        percentage: 5,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FLAG_NOT_FOUND' },
    });
  });

  it('creates a flag once per name and once per commandId', async () => {
    const create = {
      ...commandFields(),
      flag: 'dense-search',
      rolloutPercentage: 73,
      settings: { isActive: true, groupId: 'gr1' },
    };
    const first = await sendOk<FlagView>(nc, CreateFlagCommand, create);
    expect(first).toMatchObject({
      flag: 'dense-search',
      groupId: 'gr1',
      rolloutPercentage: 73,
      configVersion: 1,
      maxErrorRate: 5,
    });
    expect(await sendOk(nc, CreateFlagCommand, create)).toEqual(first);
    expect(await send(nc, CreateFlagCommand, { ...create, ...commandFields() })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_EXISTS' },
    });
    await eventually(async () =>
      expect(await evaluate('dense-search', '123')).toEqual({
        enabled: true,
        reason: 'percentage',
        bucket: 73,
        rolloutPercentage: 73,
        configVersion: 1,
      }),
    );
  });

  it('applies every change to evaluation and writes a history row for each', async () => {
    const flag = 'dense-search';
    await sendOk(nc, AllowSubjectsCommand, {
      ...commandFields(),
      flag,
      subjectIds: ['vip', 'both'],
    });
    await sendOk(nc, DenySubjectsCommand, {
      ...commandFields(),
      flag,
      subjectIds: ['both'],
      reason: 'broken data',
    });
    await sendOk(nc, SetRolloutPercentageCommand, {
      ...commandFields('alice'),
      flag,
      percentage: 72,
      reason: 'slow down',
    });
    await eventually(async () => {
      expect(await evaluate(flag, '123')).toMatchObject({
        enabled: false,
        reason: 'percentage',
        configVersion: 4,
      });
      expect(await evaluate(flag, 'vip')).toMatchObject({ enabled: true, reason: 'allowed' });
      expect(await evaluate(flag, 'both')).toMatchObject({ enabled: false, reason: 'denied' });
    });
    await sendOk(nc, EmergencyStopCommand, {
      ...commandFields(),
      flag,
      reason: 'errors everywhere',
    });
    await eventually(async () =>
      expect(await evaluate(flag, 'vip')).toMatchObject({
        enabled: false,
        reason: 'emergency_stop',
      }),
    );
    expect(
      await send(nc, EmergencyStopCommand, { ...commandFields(), flag, reason: 'again' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    await sendOk(nc, ReleaseEmergencyStopCommand, { ...commandFields(), flag });
    await sendOk(nc, SetStrategyCommand, { ...commandFields(), flag, strategy: 'whitelist' });
    await sendOk(nc, UpdateFlagCommand, {
      ...commandFields(),
      flag,
      changes: { maxErrorRate: 2.5, metadata: { owner: 'discovery' } },
    });
    await eventually(async () =>
      expect(await evaluate(flag, '123')).toMatchObject({
        enabled: false,
        reason: 'not_allowed',
        configVersion: 8,
      }),
    );

    const history = await eventually(async () => {
      const page = await sendOk<RolloutHistoryReply>(nc, GetRolloutHistoryQuery, { flag });
      expect(page.total).toBe(8);
      return page.items.reverse();
    });
    expect(
      history.map((h) => [h.action, h.previousPercentage, h.newPercentage, h.triggeredBy]),
    ).toEqual([
      ['created', null, 73, 'manual'],
      ['subjects_allowed', null, null, 'manual'],
      ['subjects_denied', null, null, 'manual'],
      ['percentage_changed', 73, 72, 'manual'],
      ['emergency_stop', 72, null, 'manual'],
      ['emergency_stop_released', null, null, 'manual'],
      ['strategy_changed', null, null, 'manual'],
      ['updated', null, null, 'manual'],
    ]);
    expect(history[3]).toMatchObject({ actor: 'alice', reason: 'slow down' });
    const view = await sendOk<FlagView>(nc, GetFlagQuery, { flag });
    expect(view).toMatchObject({
      strategy: 'whitelist',
      maxErrorRate: 2.5,
      allowList: ['vip', 'both'],
      denyList: ['both'],
      configVersion: 8,
    });
    expect(await sendOk(nc, ListFlagsQuery, {})).toMatchObject({ total: 1, items: [{ flag }] });
  });

  it('publishes every flag event on events.flags.<Type>._ with Nats-Msg-Id = event id', async () => {
    const events = await eventually(async () => {
      const all = await readStream<{ id: string; type: string }>(
        nc,
        STREAMS.events,
        'events.flags.>',
      );
      expect(all.length).toBe(8);
      return all;
    });
    expect(events[0].subject).toBe('events.flags.FlagCreated._');
    for (const e of events) expect(e.headers['Nats-Msg-Id']).toBe(e.data.id);
  });

  it('rebuilds every read model from the events to the same rows', async () => {
    await service.runtime.waitForProjections(30_000);
    const tables = [
      ['rollout_configuration', 'feature_name'],
      ['rollout_history', 'id'],
      ['rollout_metrics', 'id'],
    ] as const;
    const before = await Promise.all(tables.map(([t, o]) => tableHash(service.runtime.db, t, o)));
    await service.runtime.rebuild();
    const after = await Promise.all(tables.map(([t, o]) => tableHash(service.runtime.db, t, o)));
    expect(after).toEqual(before);
    expect(before[1].rows).toBe(8);
  });
});
