import type { ServiceName } from './services';

/** The aggregate an event belongs to, with its version after the event. */
export interface AggregateRef {
  type: string;
  id: string;
  version: number;
}

/**
 * The JSON envelope of every event on `ROLLOUT_EVENTS`.
 * `id` is a UUID and is also the `Nats-Msg-Id`; `occurredAt` is ISO-8601 UTC.
 */
export interface EventEnvelope<TData = unknown, TType extends string = string> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  source: ServiceName;
  aggregate: AggregateRef;
  correlationId: string;
  causationId: string | null;
  actor: string;
  data: TData;
}

/** A dead letter on `ROLLOUT_DLQ`: the original envelope (or raw text), the error and where it failed. */
export interface DeadLetter {
  consumer: string;
  service: ServiceName;
  subject: string;
  streamSequence: number;
  deliveryCount: number;
  error: { name: string; message: string; code?: string };
  deadLetteredAt: string;
  envelope: EventEnvelope | null;
  raw: string | null;
}
