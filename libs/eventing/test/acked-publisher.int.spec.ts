import { randomUUID } from 'node:crypto';
import { STREAMS } from '@rcp/contracts';
import {
  AckedPublisher,
  connectNats,
  ensureStreams,
  PublishNotAcknowledgedError,
  toNatsHeaders,
  type NatsConnection,
} from '@rcp/messaging';
import { readStream, startTestInfra, type TestInfra } from '@rcp/testing';

describe('AckedPublisher (the outbox relay publishes through it)', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let publisher: AckedPublisher;

  beforeAll(async () => {
    infra = await startTestInfra('acked_publisher');
    nc = await connectNats({ url: infra.natsUrl, name: 'acked-publisher-test' });
    await ensureStreams(nc);
    publisher = new AckedPublisher(nc);
  });

  afterAll(async () => {
    publisher?.close();
    await nc?.close();
    await infra?.stop();
  });

  const publish = (subject: string, msgId: string, timeoutMs = 5_000) =>
    publisher.publish(subject, JSON.stringify({ msgId }), {
      msgId,
      headers: toNatsHeaders({ 'Rcp-Event-Type': 'Tested' }),
      timeoutMs,
    });

  it('resolves each publish with its stream sequence, once stored, in the order sent', async () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const acks = await Promise.all(ids.map((id) => publish('events.test.Tested._', id)));
    expect(acks.every((a) => a.stream === STREAMS.events && !a.duplicate)).toBe(true);
    expect(acks.map((a) => a.seq)).toEqual(acks.map((_, i) => acks[0].seq + i));
    const stored = await readStream<{ msgId: string }>(nc, STREAMS.events, 'events.test.>');
    expect(stored.map((m) => m.headers['Nats-Msg-Id'])).toEqual(ids);
    expect(stored.every((m) => m.headers['Rcp-Event-Type'] === 'Tested')).toBe(true);
  });

  it('reports a repeated Nats-Msg-Id as a duplicate, stored once', async () => {
    const id = randomUUID();
    const first = await publish('events.test.Tested._', id);
    const again = await publish('events.test.Tested._', id);
    expect(again).toEqual({ ...first, duplicate: true });
  });

  it('fails a publish no stream takes', async () => {
    await expect(publish('nowhere.test', randomUUID())).rejects.toThrow(
      new PublishNotAcknowledgedError('no stream takes nowhere.test', 'nowhere.test'),
    );
  });

  it('fails a publish left unanswered past its timeout, and goes on publishing', async () => {
    const silent = nc.subscribe('silent.test'); // a responder that never answers
    const started = Date.now();
    await expect(publish('silent.test', randomUUID(), 300)).rejects.toThrow(
      'no acknowledgement for silent.test',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    silent.unsubscribe();
    await expect(publish('events.test.Tested._', randomUUID())).resolves.toMatchObject({
      stream: STREAMS.events,
    });
  });
});
