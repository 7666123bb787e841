import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { STREAMS, type ServiceName } from '@rcp/contracts';
import type { Database } from '@rcp/persistence';
import { metrics, type Logger } from '@rcp/telemetry';
import { applyBatch, type BatchItem } from './batch-apply';
import { publishDeadLetter } from './dead-letters';
import { decodeEvent, type Decoded, type EventRegistry } from './event-decoder';
import { faultPoint } from './fault-points';
import type { Projection } from './projection';
import { isTransientError } from './transient-errors';

const DEFAULT_BACKOFF_MS = [1_000, 5_000, 15_000];

/** A delivered message, decoded on arrival (`null`: another type, acknowledged unread). */
interface Arrival {
  msg: JsMsg;
  decoded: Decoded | null;
}
/** Longest wait for a batch to fill while the stream holds more messages for this consumer. */
const FILL_MS = 25;

/**
 * Runs one projection on a durable pull consumer: buffers delivered messages, applies them in
 * batches (one transaction: changes + inbox + checkpoint), then acks. Replicas share the durable
 * consumer; the inbox makes their interleaving harmless.
 */
export class ProjectionConsumer {
  readonly durable: string;
  private readonly js: JetStreamClient;
  private messages?: ConsumerMessages;
  private buffer: Arrival[] = [];
  private signal?: () => void;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly nc: NatsConnection,
    private readonly service: ServiceName,
    readonly projection: Projection,
    private readonly logger: Logger,
    private readonly registry?: EventRegistry,
    /** Called after a committed batch that wrote to the outbox (the runtime wakes its relay). */
    private readonly onCommitted: () => void = () => undefined,
  ) {
    this.durable = `${service}-${projection.name}`;
    this.js = jetstream(nc);
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.ensureConsumer();
    const consumer = await this.js.consumers.get(STREAMS.events, this.durable);
    this.running = true;
    this.messages = await consumer.consume({
      max_messages: this.batchSize() * 2,
      callback: (msg) => {
        this.buffer.push(this.receive(msg));
        this.signal?.();
      },
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.messages?.close().catch(() => undefined);
    this.signal?.();
    await this.loop;
  }

  private batchSize() {
    return this.projection.batchSize ?? 500;
  }

  private async ensureConsumer(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await jsm.consumers
      .add(STREAMS.events, {
        durable_name: this.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: this.projection.filterSubject,
        max_ack_pending: this.batchSize() * 4,
        ack_wait: nanos(this.projection.ackWaitMs ?? Number(process.env.RCP_ACK_WAIT_MS ?? 10_000)),
      })
      .catch(async (error: Error) => {
        if (!/already in use|exists/i.test(error.message)) throw error;
      });
  }

  private async run(): Promise<void> {
    while (this.running || this.buffer.length > 0) {
      if (this.buffer.length === 0) {
        if (!this.running) break;
        await new Promise<void>((resolve) => (this.signal = resolve));
        continue;
      }
      if (this.buffer.length < this.batchSize()) await this.fill();
      const batch = this.buffer.splice(0, this.batchSize());
      try {
        await this.process(batch);
      } catch (error) {
        this.logger.warn('batch not applied; redelivering', { consumer: this.durable, error });
        for (const { msg } of batch) msg.nak(this.backoff(msg.info.deliveryCount));
      }
    }
  }

  /**
   * Messages of a backlog arrive a few at a time; waiting a moment (FILL_MS at most) while the
   * stream still holds more for this consumer (the last message's `pending`) or they keep coming
   * turns many small transactions into a few full ones. A caught-up consumer waits not at all.
   */
  private async fill(): Promise<void> {
    const deadline = Date.now() + FILL_MS;
    while (this.running && this.buffer.length < this.batchSize() && Date.now() < deadline) {
      const before = this.buffer.length;
      const backlog = this.buffer[before - 1].msg.info.pending > 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1);
        this.signal = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.buffer.length === before && !backlog) return;
    }
  }

  /**
   * Decodes a message as it arrives, so the parsing overlaps the previous batch's transaction.
   * The subject names the type (events.<service>.<Type>.<STATE>): a broad filter's other events
   * are not parsed at all, only acknowledged with their batch.
   */
  private receive(msg: JsMsg): Arrival {
    const types = this.projection.eventTypes;
    if (types && !types.includes(msg.subject.split('.')[2])) return { msg, decoded: null };
    return { msg, decoded: decodeEvent(msg, this.registry) };
  }

  private async process(batch: Arrival[]): Promise<void> {
    const types = this.projection.eventTypes;
    const items: BatchItem[] = [];
    const skipped: JsMsg[] = [];
    for (const { msg, decoded } of batch) {
      if (!decoded) skipped.push(msg);
      else if (decoded.ok) items.push({ msg, envelope: decoded.envelope });
      else await this.deadLetter(msg, decoded.error, null);
    }
    const relevant = items.filter((item) => !types || types.includes(item.envelope.type));
    const { failures, wroteOutbox } = await applyBatch(
      this.db,
      this.durable,
      this.projection,
      relevant,
    );
    if (wroteOutbox) this.onCommitted();
    metrics.eventsApplied.inc(this.labels(), relevant.length - failures.size);
    faultPoint('consumer.before-ack');
    for (const msg of skipped) msg.ack();
    for (const item of items) {
      const error = failures.get(item);
      if (!error) item.msg.ack();
      else if (
        item.msg.info.deliveryCount >= (this.projection.maxDeliver ?? 5) &&
        !isTransientError(error)
      )
        await this.deadLetter(item.msg, error, item.envelope);
      else this.redeliver(item.msg, error);
    }
  }

  private redeliver(msg: JsMsg, error: Error): void {
    this.logger.warn('event not applied; redelivering', {
      consumer: this.durable,
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
      deliveryCount: msg.info.deliveryCount,
      error,
    });
    msg.nak(this.backoff(msg.info.deliveryCount));
  }

  private async deadLetter(msg: JsMsg, error: Error, envelope: BatchItem['envelope'] | null) {
    this.logger.error('event dead-lettered', {
      consumer: this.durable,
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
      error,
    });
    await publishDeadLetter(this.js, this.service, this.projection.name, msg, error, envelope);
    metrics.deadLetters.inc(this.labels());
    msg.ack();
  }

  private labels() {
    return { service: this.service, consumer: this.durable };
  }

  private backoff(deliveryCount: number): number {
    const steps = this.projection.backoffMs ?? DEFAULT_BACKOFF_MS;
    return steps[Math.min(deliveryCount - 1, steps.length - 1)] ?? 1_000;
  }
}
