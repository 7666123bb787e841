import 'reflect-metadata';
import { IsString, IsUUID, Length } from 'class-validator';
import type { ServiceName } from './services';
import { commandSubject, eventSubject, querySubject } from './subjects';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class<T = unknown> = new (...args: any[]) => T;

/** Fields every command carries: an idempotency id and who asked. */
export abstract class CommandDto {
  /** UUID chosen by the sender; sending the same id twice has one effect and the same reply. */
  @IsUUID()
  commandId!: string;

  /** Who asks: a person's login or a service token. */
  @IsString()
  @Length(1, 200)
  actor!: string;
}

/** Base of query payloads (queries have no effect, so no commandId). */
export abstract class QueryDto {}

/** A command: `cmd.<service>.<name>`, request/reply. */
export interface CommandDefinition<T extends object = object> {
  kind: 'command';
  service: ServiceName;
  name: string;
  subject: string;
  payload: Class<T>;
  summary: string;
}

/** A query: `qry.<service>.<name>`, request/reply. */
export interface QueryDefinition<T extends object = object> {
  kind: 'query';
  service: ServiceName;
  name: string;
  subject: string;
  payload: Class<T>;
  summary: string;
}

/** Turns the data of an older event version into the current shape. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** An event: `events.<service>.<type>.<STATE>` on the stream `ROLLOUT_EVENTS`. */
export interface EventDefinition<T extends object = object> {
  kind: 'event';
  service: ServiceName;
  type: string;
  /** Current version of `data`'s shape. */
  version: number;
  aggregateType: string;
  payload: Class<T>;
  summary: string;
  /** `upcasters[n]` turns version n data into version n+1. */
  upcasters?: Record<number, Upcaster>;
  /** Subject filter matching this event in every state. */
  subjectFilter: string;
}

export type MessageDefinition = CommandDefinition | QueryDefinition | EventDefinition;

export function defineCommand<T extends object>(
  service: ServiceName,
  name: string,
  payload: Class<T>,
  summary: string,
): CommandDefinition<T> {
  return {
    kind: 'command',
    service,
    name,
    subject: commandSubject(service, name),
    payload,
    summary,
  };
}

export function defineQuery<T extends object>(
  service: ServiceName,
  name: string,
  payload: Class<T>,
  summary: string,
): QueryDefinition<T> {
  return { kind: 'query', service, name, subject: querySubject(service, name), payload, summary };
}

export function defineEvent<T extends object>(
  service: ServiceName,
  type: string,
  payload: Class<T>,
  options: {
    aggregateType: string;
    summary: string;
    version?: number;
    upcasters?: Record<number, Upcaster>;
  },
): EventDefinition<T> {
  return {
    kind: 'event',
    service,
    type,
    version: options.version ?? 1,
    aggregateType: options.aggregateType,
    payload,
    summary: options.summary,
    upcasters: options.upcasters,
    subjectFilter: eventSubject(service, type, '*').replace(/\.\*$/, '.*'),
  };
}

/** Brings event data of any known older version up to the definition's current version. */
export function upcast(
  definition: EventDefinition,
  version: number,
  data: Record<string, unknown>,
): Record<string, unknown> {
  let current = data;
  for (let v = version; v < definition.version; v++) {
    const step = definition.upcasters?.[v];
    if (!step) throw new Error(`${definition.type}: no upcaster from version ${v}`);
    current = step(current);
  }
  return current;
}
