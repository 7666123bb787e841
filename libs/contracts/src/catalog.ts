import type {
  CommandDefinition,
  EventDefinition,
  MessageDefinition,
  QueryDefinition,
} from './messages';
import * as discovery from './discovery';
import * as flags from './flags';
import * as ledger from './ledger';
import * as orchestrator from './orchestrator';
import * as quota from './quota';
import { SERVICES } from './services';
import { HEALTH_QUERIES } from './system/health';

const KINDS: readonly string[] = ['command', 'query', 'event'];

function isDefinition(value: unknown): value is MessageDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<MessageDefinition>;
  return (
    typeof candidate.kind === 'string' &&
    KINDS.includes(candidate.kind) &&
    typeof candidate.payload === 'function'
  );
}

function definitionsOf(module: Record<string, unknown>): MessageDefinition[] {
  return Object.values(module).filter(isDefinition);
}

function sortKey(definition: MessageDefinition): string {
  const name = definition.kind === 'event' ? definition.type : definition.name;
  return `${SERVICES.indexOf(definition.service)}:${KINDS.indexOf(definition.kind)}:${name}`;
}

/**
 * Every command, query and event of the control plane, ordered by service, then kind (commands,
 * queries, events), then name. Built from the `…Command`, `…Query` and `…Event` definitions the
 * service folders export, so a new definition joins it by being exported.
 */
export const CATALOG: MessageDefinition[] = [
  ...Object.values(HEALTH_QUERIES),
  ...definitionsOf(orchestrator),
  ...definitionsOf(discovery),
  ...definitionsOf(ledger),
  ...definitionsOf(flags),
  ...definitionsOf(quota),
].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

const BY_SUBJECT = new Map<string, CommandDefinition | QueryDefinition>();
const BY_EVENT_TYPE = new Map<string, EventDefinition>();
for (const definition of CATALOG) {
  if (definition.kind === 'event') BY_EVENT_TYPE.set(definition.type, definition);
  else BY_SUBJECT.set(definition.subject, definition);
}

/** The command or query answering on `subject` (`cmd.<service>.<Name>` / `qry.<service>.<Name>`). */
export function findCommandOrQuery(
  subject: string,
): CommandDefinition | QueryDefinition | undefined {
  return BY_SUBJECT.get(subject);
}

/** The event definition of an envelope's `type` (event types are unique across services). */
export function findEvent(type: string): EventDefinition | undefined {
  return BY_EVENT_TYPE.get(type);
}

/** The definitions of one service. */
export function definitionsOfService(service: MessageDefinition['service']): MessageDefinition[] {
  return CATALOG.filter((definition) => definition.service === service);
}
