import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { HEADERS } from '@rcp/contracts';
import { toNatsHeaders } from '@rcp/messaging';
import type { Database } from '@rcp/persistence';
import { contextFromHeaders, SpanKind, traceHeaders, withSpan, type Logger } from '@rcp/telemetry';
import { faultPoint } from './fault-points';

interface OutboxRow {
  position: string;
  event_id: string;
  subject: string;
  payload: string;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  pollMs?: number;
  publishTimeoutMs?: number;
}

/**
 * Moves committed events from the outbox to JetStream, in order, with `Nats-Msg-Id` = event id.
 * One relay per schema publishes at a time (transaction advisory lock); rows are deleted only in
 * the transaction that saw their publish acknowledged, so a crash at any point republishes and
 * JetStream's duplicate window (and the consumers' inbox) absorbs the repeat.
 */
export class OutboxRelay {
  private readonly js: JetStreamClient;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly db: Database,
    nc: NatsConnection,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.js = jetstream(nc);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks the relay to look at the outbox now (called after a commit). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Publishes one batch; returns how many events it published. */
  async relayOnce(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [`outbox:${this.db.schema}`],
      );
      if (!locked) return 0;
      // Deleting published rows need not wait for the disk: if the delete is lost in a crash the
      // rows are published again, and the duplicate window and the consumers' inbox absorb them.
      await tx.query('SET LOCAL synchronous_commit = off');
      const rows = await tx.query<OutboxRow>(
        'SELECT position, event_id, subject, payload, headers FROM outbox ORDER BY position LIMIT $1',
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) return 0;
      faultPoint('relay.before-publish');
      await Promise.all(rows.map((row) => this.publish(row)));
      faultPoint('relay.after-publish');
      await tx.query('DELETE FROM outbox WHERE position = ANY($1::bigint[])', [
        rows.map((r) => r.position),
      ]);
      return rows.length;
    });
  }

  private publish(row: OutboxRow) {
    const type = row.headers[HEADERS.eventType] ?? 'event';
    return withSpan(
      `publish ${type}`,
      {
        kind: SpanKind.PRODUCER,
        parent: contextFromHeaders(row.headers),
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': row.subject,
          'messaging.message.id': row.event_id,
        },
      },
      () =>
        this.js.publish(row.subject, row.payload, {
          msgID: row.event_id,
          headers: toNatsHeaders({ ...row.headers, ...traceHeaders() }),
          timeout: this.options.publishTimeoutMs ?? 10_000,
        }),
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.relayOnce();
      } catch (error) {
        this.logger.warn('outbox relay failed; retrying', { error });
      }
      if (published === 0 && this.running) await this.sleep(this.options.pollMs ?? 200);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
