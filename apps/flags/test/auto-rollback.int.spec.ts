import {
  CreateFlagCommand,
  GetFlagQuery,
  GetRolloutHistoryQuery,
  GetRolloutStatsQuery,
  RecordJobOutcomeCommand,
  STREAMS,
  type FlagView,
  type RolloutHistoryReply,
  type RolloutStatsReply,
} from '@rcp/contracts';
import type { NatsConnection } from '@rcp/messaging';
import { eventually, readStream, startTestInfra, type TestInfra } from '@rcp/testing';
import {
  clientConnection,
  commandFields,
  sendOk,
  startFlagsApp,
  type FlagsApp,
} from './flags-test-kit';

interface OutcomeReply {
  totalJobs: number;
  errorCount: number;
  rolledBack: boolean;
  rolloutPercentage: number;
  health: string;
}

describe('flags service: metrics and auto-rollback (real NATS + PostgreSQL)', () => {
  let infra: TestInfra;
  let service: FlagsApp;
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra('flags_rollback');
    service = await startFlagsApp(infra);
    nc = await clientConnection(infra);
  });

  afterAll(async () => {
    await nc?.drain();
    await service?.close();
    await infra?.stop();
  });

  const createFlag = (flag: string) =>
    sendOk(nc, CreateFlagCommand, {
      ...commandFields(),
      flag,
      rolloutPercentage: 50,
      settings: { isActive: true },
    });
  const outcome = (flag: string, i: number, success: boolean) =>
    sendOk<OutcomeReply>(nc, RecordJobOutcomeCommand, {
      ...commandFields('discovery'),
      flag,
      subjectId: `community-${i % 4}`,
      processor: i % 2 ? 'text_search_paged' : 'nearby_only',
      success,
      durationMs: 100 + i,
      ...(success ? {} : { error: `places error ${i}` }),
    });
  const eventsOf = async (type: string) =>
    (
      await readStream<{ aggregate: { id: string } }>(nc, STREAMS.events, `events.flags.${type}.*`)
    ).map((e) => e.data.aggregate.id);

  it('does not roll back at 9 failing jobs, rolls back at the 10th, exactly once', async () => {
    const flag = 'rollback-seq';
    await createFlag(flag);
    for (let i = 1; i <= 9; i++)
      expect(await outcome(flag, i, false)).toMatchObject({
        totalJobs: i,
        rolledBack: false,
        rolloutPercentage: 50,
      });
    expect(await outcome(flag, 10, false)).toMatchObject({
      totalJobs: 10,
      errorCount: 10,
      rolledBack: true,
      rolloutPercentage: 0,
      health: 'critical',
    });
    for (let i = 11; i <= 12; i++)
      expect(await outcome(flag, i, false)).toMatchObject({
        rolledBack: false,
        rolloutPercentage: 0,
      });

    await eventually(async () => {
      expect((await eventsOf('FlagRolledBack')).filter((id) => id === flag)).toHaveLength(1);
      expect((await eventsOf('ErrorRateCritical')).filter((id) => id === flag)).toHaveLength(1);
      expect((await eventsOf('JobOutcomeRecorded')).filter((id) => id === flag)).toHaveLength(12);
    });
    const history = await eventually(async () => {
      const page = await sendOk<RolloutHistoryReply>(nc, GetRolloutHistoryQuery, { flag });
      expect(page.items[0]?.action).toBe('rollback');
      return page;
    });
    expect(history.items.filter((h) => h.triggeredBy === 'auto_rollback')).toEqual([
      expect.objectContaining({
        action: 'rollback',
        previousPercentage: 50,
        newPercentage: 0,
        actor: 'discovery',
        reason: 'error rate 100.00 % over 5.00 %',
      }),
    ]);
    await eventually(async () =>
      expect(await sendOk<FlagView>(nc, GetFlagQuery, { flag })).toMatchObject({
        rolloutPercentage: 0,
      }),
    );
  });

  it('rolls back exactly once when 30 failing outcomes arrive at the same time', async () => {
    const flag = 'rollback-burst';
    await createFlag(flag);
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => outcome(flag, i, false)),
    );
    expect(replies.filter((r) => r.rolledBack)).toHaveLength(1);
    expect(replies.find((r) => r.rolledBack)?.totalJobs).toBe(10);
    await eventually(async () =>
      expect((await eventsOf('FlagRolledBack')).filter((id) => id === flag)).toHaveLength(1),
    );
  });

  it('warns over 2.5 % without rolling back under the 5 % maximum, and reports the stats', async () => {
    const flag = 'warning-only';
    await createFlag(flag);
    for (let i = 0; i < 38; i++) await outcome(flag, i, true);
    expect(await outcome(flag, 38, false)).toMatchObject({
      totalJobs: 39,
      errorCount: 1,
      health: 'warning',
      rolledBack: false,
      rolloutPercentage: 50,
    });
    await eventually(async () =>
      expect((await eventsOf('ErrorRateWarning')).filter((id) => id === flag)).toHaveLength(1),
    );
    const stats = await eventually(async () => {
      const s = await sendOk<RolloutStatsReply>(nc, GetRolloutStatsQuery, { flag });
      expect(s.totalJobs).toBe(39);
      return s;
    });
    expect(stats).toMatchObject({
      errorCount: 1,
      errorRate: 2.56,
      health: 'warning',
      maxErrorRate: 5,
      rolloutPercentage: 50,
      subjectsSeen: 4,
    });
    expect(stats.byProcessor.map((p) => [p.processor, p.totalJobs, p.errorCount])).toEqual([
      ['nearby_only', 20, 1],
      ['text_search_paged', 19, 0],
    ]);
    expect(stats.byProcessor[0]).toMatchObject({
      lastErrorMessage: 'places error 38',
      averageDurationMs: 119,
    });
  });
});
