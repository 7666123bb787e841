import type { EventEnvelope } from '@rcp/contracts';
import type { Tx } from '@rcp/persistence';

/** Where an event came from in the stream. */
export interface DeliveryInfo {
  streamSequence: number;
  deliveryCount: number;
}

/**
 * A read model (or reaction) fed by a durable JetStream consumer. `apply` runs inside the batch's
 * transaction together with the inbox row and the checkpoint, so its changes land exactly once.
 */
export interface Projection {
  /** Durable consumer name (unique per service), e.g. `cost-rollups`. */
  name: string;
  /** One subject filter on ROLLOUT_EVENTS, e.g. `events.*.ApiUsageRecorded.*`. */
  filterSubject: string;
  /** Event types this projection handles; others are acknowledged and skipped. */
  eventTypes?: readonly string[];
  /** Tables this projection owns; `rebuild` empties them before replaying. */
  tables: readonly string[];
  apply(event: EventEnvelope, tx: Tx, delivery: DeliveryInfo): Promise<void>;
  /**
   * Optional fast path: applies all new events of a batch at once (e.g. pre-aggregated into one
   * multi-row upsert). Used for whole batches; a failing batch falls back to `apply` per event.
   */
  applyBatch?(
    events: Array<{ event: EventEnvelope; delivery: DeliveryInfo }>,
    tx: Tx,
  ): Promise<void>;
  /**
   * `false` when the projection's own rows record each event it applied (a unique event or
   * usage id) and make a repeat a no-op: the chassis then writes no `processed_events` rows for
   * it, and a redelivered event reaches `apply` again (default true).
   */
  inbox?: boolean;
  /** Deliveries before an event goes to the dead-letter stream (default 5). */
  maxDeliver?: number;
  /** Delay before each redelivery, in ms; the last value repeats (default 1 s, 5 s, 15 s). */
  backoffMs?: readonly number[];
  /** Messages applied per transaction (default 500). */
  batchSize?: number;
  /** Unacked messages come back after this long, e.g. when a replica dies (default RCP_ACK_WAIT_MS or 10 s). */
  ackWaitMs?: number;
}

/**
 * A projection of the service's own events applied in the command's transaction (read-your-writes
 * for process managers). `rebuild` replays it from the service's `events` table.
 */
export type InlineProjection = Pick<Projection, 'name' | 'tables' | 'eventTypes' | 'apply'>;
