import type { ServiceName } from './services';

/** JetStream stream names (public, relied on by ops). */
export const STREAMS = {
  /** Every domain event, on `events.<service>.<EventType>.<STATE>`. */
  events: 'ROLLOUT_EVENTS',
  /** Dead letters, on `dlq.<service>.<consumer>`. */
  deadLetters: 'ROLLOUT_DLQ',
} as const;

/** Subject filters of the two streams. */
export const STREAM_SUBJECTS = {
  events: 'events.>',
  deadLetters: 'dlq.>',
} as const;

/** The `<STATE>` token of an event subject that belongs to no state. */
export const NO_STATE = '_';

/** `cmd.<service>.<CommandName>`: core NATS request/reply, queue group = service. */
export function commandSubject(service: ServiceName, name: string): string {
  return `cmd.${service}.${name}`;
}

/** `qry.<service>.<QueryName>`: core NATS request/reply, queue group = service. */
export function querySubject(service: ServiceName, name: string): string {
  return `qry.${service}.${name}`;
}

/** `events.<service>.<EventType>.<STATE>`; STATE is the upper-case state code or `_`. */
export function eventSubject(
  service: ServiceName,
  type: string,
  stateCode?: string | null,
): string {
  const state = stateCode ? stateCode.toUpperCase() : NO_STATE;
  return `events.${service}.${type}.${state}`;
}

/** `dlq.<service>.<consumer>`. */
export function deadLetterSubject(service: ServiceName, consumer: string): string {
  return `dlq.${service}.${consumer}`;
}

/** Header names carried on NATS messages. */
export const HEADERS = {
  messageId: 'Nats-Msg-Id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  eventType: 'Rcp-Event-Type',
  eventVersion: 'Rcp-Event-Version',
} as const;

/** Parses an event subject back into its parts, or returns null for any other subject. */
export function parseEventSubject(
  subject: string,
): { service: string; type: string; state: string } | null {
  const parts = subject.split('.');
  if (parts.length !== 4 || parts[0] !== 'events') return null;
  return { service: parts[1], type: parts[2], state: parts[3] };
}
