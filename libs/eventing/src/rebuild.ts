import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS } from '@rcp/contracts';
import type { Database, EventStore } from '@rcp/persistence';
import { applyInline } from './command-executor';
import type { InlineProjection } from './projection';
import type { ProjectionConsumer } from './projection-consumer';

/** Waits until the durable consumer has nothing pending or unacknowledged. */
export async function waitUntilCaughtUp(
  nc: NatsConnection,
  durable: string,
  timeoutMs = 60_000,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await jsm.consumers.info(STREAMS.events, durable);
    if (info.num_pending === 0 && info.num_ack_pending === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${durable} still has ${info.num_pending} pending, ${info.num_ack_pending} unacked after ${timeoutMs} ms`,
      );
    // Each info computes the filtered pending count (a stream scan on nats-server 2.9) and holds
    // up the consumer's deliveries meanwhile: ask rarely while the backlog is large.
    const pollMs = info.num_pending > 1_000 ? 250 : 50;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Drops a projection and replays it from the stream: stop, delete the durable consumer, empty
 * its tables, inbox and checkpoint in one transaction, start again from the first event, and
 * wait until it has caught up.
 */
export async function rebuildProjection(
  db: Database,
  nc: NatsConnection,
  consumer: ProjectionConsumer,
  timeoutMs?: number,
): Promise<void> {
  await consumer.stop();
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.delete(STREAMS.events, consumer.durable).catch(() => undefined);
  await db.transaction(async (tx) => {
    for (const table of consumer.projection.tables) await tx.query(`TRUNCATE TABLE ${table}`);
    await tx.query('DELETE FROM processed_events WHERE consumer = $1', [consumer.durable]);
    await tx.query('DELETE FROM consumer_checkpoints WHERE consumer = $1', [consumer.durable]);
  });
  await consumer.start();
  await waitUntilCaughtUp(nc, consumer.durable, timeoutMs);
}

/**
 * Rebuilds an inline projection from the service's own `events` table, in append order, in one
 * transaction (so readers never see it half-built).
 */
export async function rebuildInlineProjection(
  db: Database,
  store: EventStore,
  projection: InlineProjection,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of projection.tables) await tx.query(`TRUNCATE TABLE ${table} CASCADE`);
    for (let after = 0; ;) {
      const page = await store.readAll(tx, after, 1000);
      if (page.length === 0) break;
      await applyInline(
        [projection],
        page.map((p) => p.envelope),
        tx,
      );
      after = page[page.length - 1].position;
    }
  });
}
