import type { NatsConnection } from '@nats-io/transport-node';
import { HEADERS } from '@rcp/contracts';
import { AckedPublisher, toNatsHeaders } from '@rcp/messaging';
import { checkOut, type Database } from '@rcp/persistence';
import type { PoolClient, QueryResult } from 'pg';
import {
  contextFromHeaders,
  isSampled,
  SpanKind,
  traceHeaders,
  withSpan,
  type Logger,
} from '@rcp/telemetry';
import { faultPoint } from './fault-points';

/**
 * The oldest outbox rows, read only by the holder of the schema's relay lock (one relay publishes
 * at a time, in order). Deleting published rows need not wait for the disk (the transaction runs
 * with synchronous_commit off): a delete lost in a crash publishes the rows again, and the
 * duplicate window and the consumers' inbox absorb them. The schema name is validated by
 * openDatabase, so it is safe in a literal.
 */
const claimSql = (schema: string, limit: number) => `
  WITH relay AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtext('outbox:${schema}')) AS locked)
  SELECT relay.locked, o.* FROM relay LEFT JOIN LATERAL (
    SELECT position, event_id, subject, payload, headers FROM outbox
     WHERE relay.locked ORDER BY position LIMIT ${Math.trunc(limit)}) o ON true`;

/** How soon a relay that found the lock taken looks again (the holder may stop before our rows). */
const LOCK_RETRY_MS = 20;

interface OutboxRow {
  locked: boolean;
  position: string;
  event_id: string;
  subject: string;
  payload: string;
  headers: Record<string, string>;
}

/** What one relay batch did. */
export interface RelayOutcome {
  published: number;
  /** False when another process held the schema's relay lock. */
  locked: boolean;
  /** The batch was full: more rows may be waiting. */
  full: boolean;
}

/** What the relay reads: a schema and a pool on its database (a service's Database is one). */
export type OutboxSource = Pick<Database, 'schema' | 'pool'>;

/** What a service needs of its relay, wherever it runs (this thread or its own). */
export interface Relay {
  /** Starts publishing; a relay in a thread of its own resolves once that thread runs it. */
  start(): void | Promise<void>;
  /** Asks the relay to look at the outbox now (called after a commit). */
  wake(): void;
  stop(): Promise<void>;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  pollMs?: number;
  publishTimeoutMs?: number;
  /** Rows this relay deletes between two VACUUMs of the outbox (default 10,000; 0: never). */
  vacuumEvery?: number;
}

/**
 * Moves committed events from the outbox to JetStream, in order, with `Nats-Msg-Id` = event id.
 * One relay per schema publishes at a time (transaction advisory lock); rows are deleted only in
 * the transaction that saw their publish acknowledged, so a crash at any point republishes and
 * JetStream's duplicate window (and the consumers' inbox) absorbs the repeat.
 */
export class OutboxRelay implements Relay {
  private readonly publisher: AckedPublisher;
  private readonly batchSize: number;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** A commit asked for the relay since its current batch began. */
  private woken = false;
  private deletedSinceVacuum = 0;

  constructor(
    private readonly db: OutboxSource,
    nc: NatsConnection,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.publisher = new AckedPublisher(nc);
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks the relay to look at the outbox now (called after a commit). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.publisher.close();
  }

  /**
   * Publishes one batch. Two round trips (the relay runs after every command): BEGIN, the
   * schema's relay lock and the read in one simple query, then the delete and COMMIT in another.
   */
  async relayOnce(): Promise<RelayOutcome> {
    const { client, failure, release } = await checkOut(this.db.pool);
    try {
      const results = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit = off; ${claimSql(this.db.schema, this.batchSize)}`,
      )) as unknown as Array<QueryResult<OutboxRow>>;
      const [first, ...more] = results[2].rows;
      if (first.position === null) {
        await client.query('COMMIT');
        return { published: 0, locked: first.locked, full: false };
      }
      const rows = [first, ...more];
      faultPoint('relay.before-publish');
      await Promise.all(rows.map((row) => this.publish(row)));
      faultPoint('relay.after-publish');
      const positions = rows.map((r) => BigInt(r.position)).join(',');
      await client.query(
        `DELETE FROM outbox WHERE position = ANY('{${positions}}'::bigint[]); COMMIT`,
      );
      await this.vacuumNowAndThen(client, rows.length);
      return { published: rows.length, locked: true, full: rows.length >= this.batchSize };
    } catch (error) {
      if (!failure()) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      release();
    }
  }

  /**
   * The outbox is a queue: every row is inserted once and deleted once, always at its low end,
   * where the claim's index scan starts. Until a VACUUM, every claim steps over every row deleted
   * since the last one (btree pages at the low end are never cleaned by inserts): after 20,000
   * deletes a claim of 30 rows read 59 pages instead of 4. Autovacuum comes by a minute apart at
   * best (and is off on some servers), so the relay vacuums the table itself, skipping it when
   * another process holds it. Not being the table's owner only makes PostgreSQL warn.
   */
  private async vacuumNowAndThen(client: PoolClient, deleted: number): Promise<void> {
    const every = this.options.vacuumEvery ?? 10_000;
    this.deletedSinceVacuum += deleted;
    if (every <= 0 || this.deletedSinceVacuum < every) return;
    this.deletedSinceVacuum = 0;
    await client.query('VACUUM (SKIP_LOCKED) outbox').catch((error: Error) => {
      this.logger.warn('outbox vacuum failed', { error });
    });
  }

  private publish(row: OutboxRow) {
    const timeoutMs = this.options.publishTimeoutMs ?? 10_000;
    const send = (headers: Record<string, string>) =>
      this.publisher.publish(row.subject, row.payload, {
        msgId: row.event_id,
        headers: toNatsHeaders(headers),
        timeoutMs,
      });
    // An unsampled trace records no span: the consumers continue the command's context as stored.
    if (!isSampled(row.headers)) return send(row.headers);
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
      () => send({ ...row.headers, ...traceHeaders() }),
    );
  }

  /**
   * Runs a batch again at once while the outbox had more than a batch or a commit woke the relay
   * during the last one; otherwise waits for the next commit (or the poll, which also picks up
   * other replicas' rows and anything a failure left).
   */
  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let outcome: RelayOutcome | undefined;
      try {
        outcome = await this.relayOnce();
      } catch (error) {
        this.logger.warn('outbox relay failed; retrying', { error });
      }
      if (!this.running) break;
      if (outcome && (outcome.full || this.woken)) continue;
      await this.sleep(outcome?.locked === false ? LOCK_RETRY_MS : (this.options.pollMs ?? 200));
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
