import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS, type EventEnvelope } from '@rcp/contracts';

/** Every envelope stored under `filter` in ROLLOUT_EVENTS, in stream order (an ordered consumer). */
/** An event as read from the stream, with its stream sequence. */
export type ScannedEvent = EventEnvelope<Record<string, unknown>> & { streamSequence: number };

export async function scanEvents(nc: NatsConnection, filter: string): Promise<ScannedEvent[]> {
  // Every JetStream API call is retried: with a cluster node just killed one can time out.
  const jsm = await retry(() => jetstreamManager(nc));
  const info = await retry(() => jsm.streams.info(STREAMS.events, { subjects_filter: filter }));
  const expected = Object.values(info.state.subjects ?? {}).reduce((a, n) => a + n, 0);
  const out: ScannedEvent[] = [];
  if (expected === 0) return out;
  // An ephemeral consumer with one filter_subject (nats-server 2.9 has no filter_subjects).
  // One in-memory replica: creating it needs no quorum, so it works with a cluster node down.
  const { name } = await retry(() =>
    jsm.consumers.add(STREAMS.events, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      inactive_threshold: 30_000_000_000,
      num_replicas: 1,
      mem_storage: true,
    }),
  );
  const consumer = await retry(() => jetstream(nc).consumers.get(STREAMS.events, name));
  const messages = await consumer.consume({ max_messages: 1000 });
  for await (const msg of messages) {
    out.push({
      ...msg.json<EventEnvelope<Record<string, unknown>>>(),
      streamSequence: msg.info.streamSequence,
    });
    if (out.length >= expected || msg.info.pending === 0) break;
  }
  await messages.close();
  await jsm.consumers.delete(STREAMS.events, name).catch(() => undefined);
  return out;
}

async function retry<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
