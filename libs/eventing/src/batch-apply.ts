import type { JsMsg } from '@nats-io/jetstream';
import type { EventEnvelope } from '@rcp/contracts';
import { wroteOutbox, type Database, type Tx } from '@rcp/persistence';
import {
  contextFromHeaders,
  endSpans,
  SpanKind,
  startSpanFromHeaders,
  withSpan,
} from '@rcp/telemetry';
import { fromNatsHeaders } from '@rcp/messaging';
import { faultPoint } from './fault-points';
import type { Projection } from './projection';

export interface BatchItem {
  msg: JsMsg;
  envelope: EventEnvelope;
}

/** What a committed batch did: the events that failed, and whether it wrote to the outbox. */
export interface BatchResult {
  failures: Map<BatchItem, Error>;
  wroteOutbox: boolean;
}

/**
 * Applies a batch in one transaction. Fast path: everything at once. If any event throws, the
 * batch is rolled back and applied again event by event under savepoints, so the good events
 * commit and each bad one is reported with its error. A failure of the transaction itself
 * (database down) propagates: nothing is acked, everything is redelivered.
 */
export async function applyBatch(
  db: Database,
  consumer: string,
  projection: Projection,
  items: BatchItem[],
): Promise<BatchResult> {
  if (items.length === 0) return { failures: new Map(), wroteOutbox: false };
  try {
    const outbox = await db.transaction(async (tx) => {
      const fresh = await claim(tx, consumer, projection, items);
      const applied = fresh.size;
      // delete() is true once per id, so a duplicate inside one batch applies once.
      const firsts = items.filter((item) => fresh.delete(item.envelope.id));
      if (projection.applyBatch) await applyAll(tx, projection, firsts);
      else for (const item of firsts) await applyOne(tx, projection, item);
      faultPoint('consumer.before-commit');
      await checkpoint(tx, consumer, items, applied);
      return wroteOutbox(tx);
    });
    return { failures: new Map(), wroteOutbox: outbox };
  } catch (error) {
    if (!isHandlerError(error)) throw error;
    return applyOneByOne(db, consumer, projection, items);
  }
}

async function applyOneByOne(
  db: Database,
  consumer: string,
  projection: Projection,
  items: BatchItem[],
): Promise<BatchResult> {
  const failures = new Map<BatchItem, Error>();
  const outbox = await db.transaction(async (tx) => {
    let applied = 0;
    for (const item of items) {
      await tx.query('SAVEPOINT one_event');
      try {
        const fresh = await claim(tx, consumer, projection, [item]);
        if (fresh.size > 0) await applyOne(tx, projection, item);
        applied += fresh.size;
        await tx.query('RELEASE SAVEPOINT one_event');
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT one_event');
        failures.set(item, unwrap(error));
      }
    }
    await checkpoint(
      tx,
      consumer,
      items.filter((i) => !failures.has(i)),
      applied,
    );
    return wroteOutbox(tx);
  });
  return { failures, wroteOutbox: outbox };
}

/**
 * Inserts inbox rows; returns the ids not seen before by this consumer. A projection that records
 * every event it applied in its own rows (`inbox: false`) is handed every id.
 */
async function claim(
  tx: Tx,
  consumer: string,
  projection: Projection,
  items: BatchItem[],
): Promise<Set<string>> {
  if (projection.inbox === false) return new Set(items.map((i) => i.envelope.id));
  const rows = await tx.query<{ event_id: string }>(
    `INSERT INTO processed_events (consumer, event_id, stream_sequence)
     SELECT $1, * FROM unnest($2::uuid[], $3::bigint[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, items.map((i) => i.envelope.id), items.map((i) => i.msg.info.streamSequence)],
  );
  return new Set(rows.map((r) => r.event_id));
}

async function checkpoint(tx: Tx, consumer: string, items: BatchItem[], applied: number) {
  if (items.length === 0) return;
  const last = Math.max(...items.map((i) => i.msg.info.streamSequence));
  await tx.query(
    `INSERT INTO consumer_checkpoints (consumer, stream_sequence, events_applied, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (consumer) DO UPDATE SET stream_sequence = GREATEST(consumer_checkpoints.stream_sequence, EXCLUDED.stream_sequence),
       events_applied = consumer_checkpoints.events_applied + EXCLUDED.events_applied, updated_at = now()`,
    [consumer, last, applied],
  );
}

class HandlerError extends Error {
  constructor(readonly original: Error) {
    super(original.message);
    this.name = 'HandlerError';
  }
}

const isHandlerError = (error: unknown) => error instanceof HandlerError;
const unwrap = (error: unknown) =>
  error instanceof HandlerError ? error.original : (error as Error);

const deliveryOf = (item: BatchItem) => ({
  streamSequence: item.msg.info.streamSequence,
  deliveryCount: item.msg.info.deliveryCount,
});

/**
 * One `consume <type>` span per event, each in its own command's trace, around a single
 * `applyBatch` call (the batch's own span links to them all).
 */
async function applyAll(tx: Tx, projection: Projection, items: BatchItem[]) {
  if (items.length === 0) return;
  const attributes = {
    'messaging.system': 'nats',
    'messaging.consumer.group.name': projection.name,
    'messaging.batch.message_count': items.length,
  };
  const spans = items.map((item) =>
    startSpanFromHeaders(
      `consume ${item.envelope.type}`,
      fromNatsHeaders(item.msg.headers),
      SpanKind.CONSUMER,
      { ...attributes, 'messaging.destination.name': item.msg.subject },
    ),
  );
  const links = spans.map((span) => ({ context: span.spanContext() }));
  try {
    await withSpan(
      `consume batch of ${items.length}`,
      { kind: SpanKind.CONSUMER, links, attributes },
      () =>
        projection.applyBatch!(
          items.map((item) => ({ event: item.envelope, delivery: deliveryOf(item) })),
          tx,
        ),
    );
    endSpans(spans);
  } catch (error) {
    endSpans(spans, error);
    throw new HandlerError(error as Error);
  }
}

async function applyOne(tx: Tx, projection: Projection, item: BatchItem) {
  const parent = contextFromHeaders(fromNatsHeaders(item.msg.headers));
  await withSpan(
    `consume ${item.envelope.type}`,
    {
      kind: SpanKind.CONSUMER,
      parent,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': item.msg.subject,
        'messaging.consumer.group.name': projection.name,
      },
    },
    async () => {
      try {
        await projection.apply(item.envelope, tx, {
          streamSequence: item.msg.info.streamSequence,
          deliveryCount: item.msg.info.deliveryCount,
        });
      } catch (error) {
        throw new HandlerError(error as Error);
      }
    },
  );
}
