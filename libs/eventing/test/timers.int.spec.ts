import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@rcp/persistence';
import { createLogger } from '@rcp/telemetry';
import { eventually, startTestInfra, type TestInfra } from '@rcp/testing';
import { TimerPoller, timerStore, type DueTimer } from '../src';

describe('durable timers in PostgreSQL', () => {
  let infra: TestInfra;
  let db: Database;
  const logger = createLogger('quota', { level: 'error' });
  const pollers: TimerPoller[] = [];

  beforeAll(async () => {
    infra = await startTestInfra('timers');
    db = await openDatabase({ url: infra.databaseUrl, schema: 'timers_test' });
  });

  afterAll(async () => {
    for (const p of pollers) await p.stop();
    await db?.close();
    await infra?.stop();
  });

  const poller = (kind: string, handler: (t: DueTimer) => Promise<void>, database = db) => {
    const p = new TimerPoller(database, logger, { pollMs: 20 });
    p.on(kind, handler);
    pollers.push(p);
    return p;
  };
  const remaining = async (kind: string) =>
    Number((await db.query('SELECT count(*) AS n FROM timers WHERE kind = $1', [kind]))[0].n);

  it('fires a timer at its due time with its payload, once, and forgets it', async () => {
    const fired: Array<{ at: number; payload: unknown }> = [];
    const dueAt = new Date(Date.now() + 300);
    await db.transaction((tx) =>
      timerStore.schedule(tx, { kind: 'ping', dueAt, payload: { n: 1 } }),
    );
    poller('ping', async (t) => void fired.push({ at: Date.now(), payload: t.payload })).start();
    await eventually(() => expect(fired).toHaveLength(1));
    expect(fired[0].at).toBeGreaterThanOrEqual(dueAt.getTime() - 5);
    expect(fired[0].payload).toEqual({ n: 1 });
    await eventually(async () => expect(await remaining('ping')).toBe(0));
  });

  it('keeps a timer across a restart: a poller started later fires what an earlier process scheduled', async () => {
    const other = await openDatabase({ url: infra.databaseUrl, schema: 'timers_test' });
    await other.transaction((tx) =>
      timerStore.schedule(tx, {
        kind: 'restart',
        dueAt: new Date(Date.now() + 100),
        payload: { from: 'first process' },
      }),
    );
    await other.close();
    const fired: unknown[] = [];
    poller('restart', async (t) => void fired.push(t.payload)).start();
    await eventually(() => expect(fired).toEqual([{ from: 'first process' }]));
  });

  it('retries a failing handler with backoff until it succeeds', async () => {
    let calls = 0;
    await db.transaction((tx) =>
      timerStore.schedule(tx, { kind: 'flaky', dueAt: new Date(), payload: {} }),
    );
    poller('flaky', async () => {
      calls += 1;
      if (calls < 3) throw new Error(`failure ${calls}`);
    }).start();
    await eventually(async () => expect(await remaining('flaky')).toBe(0), 10_000);
    expect(calls).toBe(3);
  });

  it('fires each due timer exactly once with two pollers sharing the table', async () => {
    const fired = new Map<string, number>();
    const count = async (t: DueTimer) => void fired.set(t.timerId, (fired.get(t.timerId) ?? 0) + 1);
    await db.transaction(async (tx) => {
      for (let i = 0; i < 60; i++)
        await timerStore.schedule(tx, {
          timerId: randomUUID(),
          kind: 'shared',
          dueAt: new Date(),
          payload: { i },
        });
    });
    poller('shared', count).start();
    poller('shared', count).start();
    await eventually(() => expect(fired.size).toBe(60));
    expect([...fired.values()].every((n) => n === 1)).toBe(true);
  });

  it('reschedules idempotently under a fixed id and cancels', async () => {
    const timerId = randomUUID();
    await db.transaction((tx) =>
      timerStore.schedule(tx, {
        timerId,
        kind: 'idle',
        dueAt: new Date(Date.now() + 60_000),
        payload: { v: 1 },
      }),
    );
    await db.transaction((tx) =>
      timerStore.schedule(tx, {
        timerId,
        kind: 'idle',
        dueAt: new Date(Date.now() + 120_000),
        payload: { v: 2 },
      }),
    );
    const rows = await db.query('SELECT payload FROM timers WHERE timer_id = $1', [timerId]);
    expect(rows).toEqual([{ payload: { v: 2 } }]);
    await db.transaction((tx) => timerStore.cancel(tx, timerId));
    expect(await remaining('idle')).toBe(0);
  });
});
