import { randomUUID } from 'node:crypto';
import { eventSubject, HEADERS, type EventEnvelope, type ServiceName } from '@rcp/contracts';
import { ConcurrencyConflictError } from '@rcp/domain';
import { markOutboxWritten, type Queryable } from './database';

/** An event a decider produced, before it gets an id and a position. */
export interface PendingEvent {
  type: string;
  data: object;
  /** Two-letter state code for the subject, or null/undefined for `_`. */
  stateCode?: string | null;
  version?: number;
}

/** Who and why: copied onto every envelope of one append. */
export interface AppendMetadata {
  correlationId: string;
  causationId: string | null;
  actor: string;
  occurredAt: Date;
  /** W3C trace headers of the command, carried to NATS through the outbox. */
  traceHeaders?: Record<string, string>;
}

export interface StreamRef {
  aggregateType: string;
  aggregateId: string;
}

export interface StoredEvent {
  envelope: EventEnvelope;
  streamVersion: number;
}

export const streamIdOf = (ref: StreamRef) => `${ref.aggregateType}-${ref.aggregateId}`;

/** The append-only event store of one service, in its own schema. */
export class EventStore {
  constructor(private readonly service: ServiceName) {}

  async readStream(db: Queryable, ref: StreamRef): Promise<StoredEvent[]> {
    const rows = await db.query<{
      event_id: string;
      stream_version: number;
      type: string;
      version: number;
      data: object;
      metadata: Metadata;
      occurred_at: Date;
    }>(
      `SELECT event_id, stream_version, type, version, data, metadata, occurred_at
         FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamIdOf(ref)],
    );
    return rows.map((row) => ({
      streamVersion: row.stream_version,
      envelope: this.toEnvelope(ref, row),
    }));
  }

  private toEnvelope(
    ref: StreamRef,
    row: {
      event_id: string;
      stream_version: number;
      type: string;
      version: number;
      data: object;
      metadata: Metadata;
      occurred_at: Date;
    },
  ): EventEnvelope {
    return {
      id: row.event_id,
      type: row.type,
      version: row.version,
      occurredAt: row.occurred_at.toISOString(),
      source: this.service,
      aggregate: { type: ref.aggregateType, id: ref.aggregateId, version: row.stream_version },
      correlationId: row.metadata.correlationId,
      causationId: row.metadata.causationId,
      actor: row.metadata.actor,
      data: row.data,
    };
  }

  async version(db: Queryable, ref: StreamRef): Promise<number> {
    const [{ current }] = await db.query<{ current: number }>(
      'SELECT COALESCE(MAX(stream_version), 0)::int AS current FROM events WHERE stream_id = $1',
      [streamIdOf(ref)],
    );
    return current;
  }

  /**
   * Appends at `expectedVersion` (the stream's current version; 0 for a new stream) and writes
   * the outbox rows, both on `tx`. A concurrent writer makes this throw ConcurrencyConflictError.
   * `versionRead: true` says the caller read the stream in this transaction: the unique
   * (stream_id, stream_version) index alone then catches a concurrent writer, saving a query.
   */
  async append(
    tx: Queryable,
    ref: StreamRef,
    expectedVersion: number,
    events: PendingEvent[],
    meta: AppendMetadata,
    options: { versionRead?: boolean } = {},
  ): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    if (!options.versionRead && (await this.version(tx, ref)) !== expectedVersion) {
      throw new ConcurrencyConflictError(streamIdOf(ref), expectedVersion);
    }
    const items = events.map((event, i) => ({
      ref,
      event,
      envelope: this.envelope(ref, expectedVersion + i + 1, event, meta),
    }));
    await this.write(tx, items, meta, ref, expectedVersion);
    return items.map((i) => i.envelope);
  }

  /**
   * Starts many new streams at once (version 1..n each), in one statement for all their events
   * and outbox rows: for commands that create hundreds of aggregates. Any existing stream among
   * them is a ConcurrencyConflictError.
   */
  async appendNewStreams(
    tx: Queryable,
    streams: Array<{ ref: StreamRef; events: PendingEvent[] }>,
    meta: AppendMetadata,
  ): Promise<EventEnvelope[]> {
    const items = streams.flatMap(({ ref, events }) =>
      events.map((event, i) => ({ ref, event, envelope: this.envelope(ref, i + 1, event, meta) })),
    );
    if (items.length === 0) return [];
    await this.write(tx, items, meta, streams[0].ref, 0);
    return items.map((i) => i.envelope);
  }

  /** Every event of this service in append order, a page at a time (for inline rebuilds). */
  async readAll(
    db: Queryable,
    afterPosition: number,
    limit: number,
  ): Promise<Array<{ position: number; envelope: EventEnvelope }>> {
    const rows = await db.query<{
      global_position: string;
      event_id: string;
      stream_id: string;
      stream_version: number;
      aggregate_type: string;
      type: string;
      version: number;
      data: object;
      metadata: Metadata;
      occurred_at: Date;
    }>(
      `SELECT global_position, event_id, stream_id, stream_version, aggregate_type, type, version, data, metadata, occurred_at
         FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map((row) => ({
      position: Number(row.global_position),
      envelope: this.toEnvelope(
        {
          aggregateType: row.aggregate_type,
          aggregateId: row.stream_id.slice(row.aggregate_type.length + 1),
        },
        row,
      ),
    }));
  }

  private envelope(
    ref: StreamRef,
    version: number,
    event: PendingEvent,
    meta: AppendMetadata,
  ): EventEnvelope {
    return {
      id: randomUUID(),
      type: event.type,
      version: event.version ?? 1,
      occurredAt: meta.occurredAt.toISOString(),
      source: this.service,
      aggregate: { type: ref.aggregateType, id: ref.aggregateId, version },
      correlationId: meta.correlationId,
      causationId: meta.causationId,
      actor: meta.actor,
      data: event.data,
    };
  }

  /** Events and their outbox rows in one round trip (a data-modifying CTE). */
  private async write(
    tx: Queryable,
    items: Array<{ ref: StreamRef; event: PendingEvent; envelope: EventEnvelope }>,
    meta: AppendMetadata,
    conflictRef: StreamRef,
    expectedVersion: number,
  ): Promise<void> {
    const envelopes = items.map((i) => i.envelope);
    markOutboxWritten(tx);
    try {
      await tx.query(
        `WITH appended AS (
           INSERT INTO events (event_id, stream_id, stream_version, aggregate_type, type, version, data, metadata, occurred_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[])
           RETURNING 1)
         INSERT INTO outbox (event_id, subject, payload, headers)
         SELECT * FROM unnest($1::uuid[], $10::text[], $11::text[], $12::jsonb[])`,
        [
          envelopes.map((e) => e.id),
          items.map((i) => streamIdOf(i.ref)),
          envelopes.map((e) => e.aggregate.version),
          items.map((i) => i.ref.aggregateType),
          envelopes.map((e) => e.type),
          envelopes.map((e) => e.version),
          envelopes.map((e) => JSON.stringify(e.data)),
          envelopes.map((e) =>
            JSON.stringify({
              correlationId: e.correlationId,
              causationId: e.causationId,
              actor: e.actor,
            }),
          ),
          envelopes.map((e) => e.occurredAt),
          items.map((i) => eventSubject(this.service, i.envelope.type, i.event.stateCode)),
          envelopes.map((e) => JSON.stringify(e)),
          envelopes.map((e) =>
            JSON.stringify({
              ...(meta.traceHeaders ?? {}),
              [HEADERS.eventType]: e.type,
              [HEADERS.eventVersion]: String(e.version),
            }),
          ),
        ],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConcurrencyConflictError(streamIdOf(conflictRef), expectedVersion, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

interface Metadata {
  correlationId: string;
  causationId: string | null;
  actor: string;
}
