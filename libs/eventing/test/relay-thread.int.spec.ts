import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { STREAMS } from '@rcp/contracts';
import { connectNats, ensureStreams, type NatsConnection } from '@rcp/messaging';
import { openDatabase, type Database } from '@rcp/persistence';
import { createLogger } from '@rcp/telemetry';
import { eventually, readStream, repoRoot, startTestInfra, type TestInfra } from '@rcp/testing';
import { RelayThread } from '../src/relay-thread';
import { commitOutboxRows, outboxSize as outboxRows } from './fixtures/outbox-rows';

/** The compiled worker (Jest runs the sources; global setup builds dist/). */
const WORKER = path.join(repoRoot, 'dist/libs/eventing/src/relay-thread.worker.js');

/** The outbox relay in its own thread, as services run it from dist/. */
describe('relay thread', () => {
  const schema = 'relay_thread';
  let infra: TestInfra;
  let nc: NatsConnection;
  let db: Database;
  let pg: Client;
  let thread: RelayThread;

  beforeAll(async () => {
    infra = await startTestInfra('relay_thread');
    nc = await connectNats({ url: infra.natsUrl, name: 'relay-thread-test' });
    await ensureStreams(nc);
    db = await openDatabase({ url: infra.databaseUrl, schema });
    pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();
    thread = new RelayThread(
      {
        service: 'quota',
        schema,
        natsUrl: infra.natsUrl,
        databaseUrl: infra.databaseUrl,
        // No poll: whatever a test sees published went out at start or on a wake.
        options: { pollMs: 3_600_000 },
      },
      createLogger('test', { level: 'error' }),
      WORKER,
    );
  });

  afterAll(async () => {
    await thread?.stop();
    await pg?.end();
    await db?.close();
    await nc?.close();
    await infra?.stop();
  });

  const commit = (count: number) =>
    commitOutboxRows(pg, schema, 'events.test.Threaded._', count, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00',
    });
  const published = async () => readStream(nc, STREAMS.events, 'events.test.Threaded.>');
  const outboxSize = () => outboxRows(pg, schema);

  it('runs only where its compiled worker exists', () => {
    expect(RelayThread.available(WORKER)).toBe(true);
    expect(RelayThread.available(path.join(__dirname, 'relay-thread.worker.js'))).toBe(false);
  });

  it('publishes what the outbox holds from its own thread, with ids, payloads and headers', async () => {
    const ids = await commit(3);
    await thread.start();
    thread.wake();
    await eventually(async () => expect(await outboxSize()).toBe(0), 10_000);
    const messages = await published();
    expect(messages.map((m) => m.headers['Nats-Msg-Id'])).toEqual(ids);
    expect(messages.map((m) => (m.data as { id: string }).id)).toEqual(ids);
    expect(messages[0].headers.traceparent).toMatch(/^00-0af7651916cd43dd/);
  });

  it('answers a wake after each commit', async () => {
    const ids = await commit(2);
    thread.wake();
    await eventually(async () => expect(await outboxSize()).toBe(0), 10_000);
    expect((await published()).map((m) => m.headers['Nats-Msg-Id'])).toEqual(
      expect.arrayContaining(ids),
    );
  });

  it('starts a thread again when it dies, and the new one publishes what was left', async () => {
    const worker = (thread as unknown as { worker: Worker }).worker;
    await worker.terminate();
    const ids = await commit(2);
    // The new thread's first batch takes them (it is not woken).
    await eventually(async () => expect(await outboxSize()).toBe(0), 10_000);
    expect((thread as unknown as { worker: Worker }).worker).not.toBe(worker);
    expect((await published()).map((m) => m.headers['Nats-Msg-Id'])).toEqual(
      expect.arrayContaining(ids),
    );
  });

  it('stops its thread: nothing is published after stop()', async () => {
    await thread.stop();
    await commit(1);
    thread.wake();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await outboxSize()).toBe(1);
  });
});
