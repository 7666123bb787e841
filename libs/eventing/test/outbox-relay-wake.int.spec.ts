import { Client } from 'pg';
import { STREAMS } from '@rcp/contracts';
import { connectNats, ensureStreams, type NatsConnection } from '@rcp/messaging';
import { openDatabase, type Database } from '@rcp/persistence';
import { createLogger } from '@rcp/telemetry';
import { eventually, readStream, startTestInfra, type TestInfra } from '@rcp/testing';
import { OutboxRelay } from '../src/outbox-relay';
import { commitOutboxRows, outboxSize as outboxRows } from './fixtures/outbox-rows';

/** The relay's own loop: when it runs again and when it waits (the poll is an hour here). */
describe('outbox relay scheduling', () => {
  const schema = 'relay_wake';
  let infra: TestInfra;
  let nc: NatsConnection;
  let db: Database;
  let pg: Client;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    infra = await startTestInfra('relay_wake');
    nc = await connectNats({ url: infra.natsUrl, name: 'relay-wake-test' });
    await ensureStreams(nc);
    db = await openDatabase({ url: infra.databaseUrl, schema });
    pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await pg?.end();
    await db?.close();
    await nc?.close();
    await infra?.stop();
  });

  const relay = (batchSize = 500, vacuumEvery?: number) => {
    const r = new OutboxRelay(db, nc, createLogger('test', { level: 'error' }), {
      batchSize,
      pollMs: 3_600_000,
      vacuumEvery,
    });
    relays.push(r);
    return r;
  };
  const commit = (count: number) => commitOutboxRows(pg, schema, 'events.test.Relayed._', count);
  const publishedIds = async () =>
    (await readStream(nc, STREAMS.events, 'events.test.Relayed.>')).map(
      (m) => m.headers['Nats-Msg-Id'],
    );
  const outboxSize = () => outboxRows(pg, schema);

  it('reports each batch: how many it published, and whether the outbox may hold more', async () => {
    const ids = await commit(5);
    const once = relay(3);
    expect(await once.relayOnce()).toEqual({ published: 3, locked: true, full: true });
    expect(await once.relayOnce()).toEqual({ published: 2, locked: true, full: false });
    expect(await once.relayOnce()).toEqual({ published: 0, locked: true, full: false });
    expect(await publishedIds()).toEqual(ids);
  });

  it('publishes a backlog larger than a batch without waiting for a commit', async () => {
    const before = (await publishedIds()).length;
    const ids = await commit(25);
    const running = relay(10);
    running.start();
    await eventually(async () => expect(await outboxSize()).toBe(0), 5_000);
    expect((await publishedIds()).slice(before)).toEqual(ids);
  });

  it('answers a commit at once, and sleeps (no empty batches) once the outbox is empty', async () => {
    const running = relays.at(-1)!;
    const ids = await commit(3);
    running.wake();
    await eventually(async () => expect(await outboxSize()).toBe(0), 5_000);
    expect((await publishedIds()).slice(-3)).toEqual(ids);
    // Asleep until the next wake: rows committed without one wait for the (hour-long) poll.
    const unannounced = await commit(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outboxSize()).toBe(1);
    running.wake();
    await eventually(async () => expect(await outboxSize()).toBe(0), 5_000);
    expect((await publishedIds()).slice(-1)).toEqual(unannounced);
  });

  it('looks again soon when another process holds the relay lock, not after the poll', async () => {
    const holder = new Client({ connectionString: infra.databaseUrl });
    await holder.connect();
    await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('outbox:${schema}'))`);
    const waiting = relay();
    expect(await waiting.relayOnce()).toEqual({ published: 0, locked: false, full: false });
    const ids = await commit(2);
    waiting.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await outboxSize()).toBe(2);
    await holder.query('COMMIT');
    await holder.end();
    await eventually(async () => expect(await outboxSize()).toBe(0), 2_000);
    expect((await publishedIds()).slice(-2)).toEqual(ids);
  });

  it('vacuums the outbox once it has deleted vacuumEvery rows since the last time', async () => {
    const vacuums = async () =>
      Number(
        (
          await pg.query(
            `SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'outbox'`,
            [schema],
          )
        ).rows[0].n,
      );
    const before = await vacuums();
    const vacuuming = relay(4, 10);
    await commit(8);
    await vacuuming.relayOnce();
    await vacuuming.relayOnce();
    expect(await vacuums()).toBe(before);
    await commit(2);
    await vacuuming.relayOnce();
    await eventually(async () => expect(await vacuums()).toBe(before + 1), 5_000);
  });
});
