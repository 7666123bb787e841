import { randomUUID } from 'node:crypto';
import { ConcurrencyConflictError } from '@rcp/domain';
import { startTestInfra, type TestInfra } from '@rcp/testing';
import { EventStore, openDatabase, type Database } from '../src';

describe('EventStore on PostgreSQL', () => {
  let infra: TestInfra;
  let db: Database;
  const store = new EventStore('orchestrator');
  const meta = {
    correlationId: randomUUID(),
    causationId: null,
    actor: 'test',
    occurredAt: new Date('2026-11-21T12:00:00Z'),
  };

  beforeAll(async () => {
    infra = await startTestInfra('event_store');
    db = await openDatabase({ url: infra.databaseUrl, schema: 'store_test' });
  });

  afterAll(async () => {
    await db?.close();
    await infra?.stop();
  });

  it('lets one of two concurrent appends at the same expected version win; the other gets CONCURRENCY_CONFLICT', async () => {
    const ref = { aggregateType: 'StateRollout', aggregateId: randomUUID() };
    let bothRead!: () => void;
    const gate = new Promise<void>((resolve) => (bothRead = resolve));
    let reads = 0;
    const attempt = (label: string) =>
      db.transaction(async (tx) => {
        await store.readStream(tx, ref);
        if (++reads === 2) bothRead();
        await gate;
        return store.append(
          tx,
          ref,
          0,
          [{ type: 'StateRolloutStarted', data: { label }, stateCode: 'TX' }],
          meta,
        );
      });
    const results = await Promise.allSettled([attempt('a'), attempt('b')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ConcurrencyConflictError);
    expect(lost[0].reason.code).toBe('CONCURRENCY_CONFLICT');
    expect(await store.readStream(db, ref)).toHaveLength(1);
  });

  it('refuses an append at a stale expected version', async () => {
    const ref = { aggregateType: 'StateRollout', aggregateId: randomUUID() };
    await db.transaction((tx) =>
      store.append(tx, ref, 0, [{ type: 'StateRolloutStarted', data: {} }], meta),
    );
    await expect(
      db.transaction((tx) =>
        store.append(tx, ref, 0, [{ type: 'StateRolloutPaused', data: {} }], meta),
      ),
    ).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
  });

  it('writes envelopes with versions in order and an outbox row per event with its subject and trace headers', async () => {
    const ref = { aggregateType: 'StateRollout', aggregateId: randomUUID() };
    const envelopes = await db.transaction((tx) =>
      store.append(
        tx,
        ref,
        0,
        [
          { type: 'StateRolloutStarted', data: { a: 1 }, stateCode: 'ri' },
          { type: 'StateRolloutPaused', data: { b: 2 } },
        ],
        {
          ...meta,
          traceHeaders: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        },
      ),
    );
    expect(envelopes.map((e) => e.aggregate.version)).toEqual([1, 2]);
    expect(envelopes[0]).toMatchObject({
      type: 'StateRolloutStarted',
      version: 1,
      source: 'orchestrator',
      occurredAt: '2026-11-21T12:00:00.000Z',
      actor: 'test',
      data: { a: 1 },
    });
    const outbox = await db.query<{
      subject: string;
      headers: Record<string, string>;
      payload: string;
    }>(
      'SELECT subject, headers, payload FROM outbox WHERE event_id = ANY($1::uuid[]) ORDER BY position',
      [envelopes.map((e) => e.id)],
    );
    expect(outbox.map((o) => o.subject)).toEqual([
      'events.orchestrator.StateRolloutStarted.RI',
      'events.orchestrator.StateRolloutPaused._',
    ]);
    expect(outbox[0].headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    expect(JSON.parse(outbox[1].payload)).toEqual(envelopes[1]);
    const stored = await store.readStream(db, ref);
    expect(stored.map((s) => s.envelope)).toEqual(envelopes);
  });

  it('migrates idempotently: opening the schema again changes nothing', async () => {
    const again = await openDatabase({ url: infra.databaseUrl, schema: 'store_test' });
    const rows = await again.query<{ name: string }>('SELECT name FROM migrations');
    expect(rows.map((r) => r.name)).toEqual(['ChassisTables1763683200000']);
    await again.close();
  });
});
