import {
  CATALOG,
  STREAMS,
  SYSTEM_OPERATIONS,
  type CommandDefinition,
  type EventDefinition,
  type MessageDefinition,
  type QueryDefinition,
} from '@rcp/contracts';
import { DEAD_LETTER, EVENT_ENVELOPE, REPLY } from './envelope-schemas';
import { payloadSchemas, schemaOf, SCHEMA_REF, type JsonSchema } from './payload-schemas';

type Doc = Record<string, Record<string, unknown>>;
const ref = (path: string) => ({ $ref: path });
const key = (d: MessageDefinition) =>
  `${d.service}.${d.kind}.${d.kind === 'event' ? d.type : d.name}`;

/** Every definition of the contracts (the catalog plus the chassis' operations), in order. */
export function allDefinitions(): MessageDefinition[] {
  const known = new Set(CATALOG.map(key));
  return [...CATALOG, ...SYSTEM_OPERATIONS.filter((d) => !known.has(key(d)))];
}

function requestParts(
  doc: Doc,
  d: CommandDefinition | QueryDefinition,
  schemas: Record<string, JsonSchema>,
) {
  const id = key(d);
  doc.components.schemas = {
    ...(doc.components.schemas as object),
    [id]: schemaOf(d.payload, schemas),
  };
  doc.components.messages = {
    ...(doc.components.messages as object),
    [id]: {
      name: d.name,
      title: `${d.kind} ${d.name}`,
      summary: d.summary,
      payload: ref(`${SCHEMA_REF}${id}`),
    },
  };
  doc.channels[id] = {
    address: d.subject,
    description: `${d.summary} Core NATS request/reply, queue group \`${d.service}\`.`,
    messages: { [d.name]: ref(`#/components/messages/${id}`) },
  };
  doc.operations[id] = {
    action: 'receive',
    summary: d.summary,
    channel: ref(`#/channels/${id}`),
    reply: { channel: ref('#/channels/reply') },
    tags: [{ name: d.service }, { name: d.kind }],
  };
}

function eventParts(doc: Doc, d: EventDefinition, schemas: Record<string, JsonSchema>) {
  const id = key(d);
  doc.components.schemas = {
    ...(doc.components.schemas as object),
    [id]: {
      allOf: [
        ref(`${SCHEMA_REF}EventEnvelope`),
        {
          type: 'object',
          properties: {
            type: { const: d.type },
            version: { const: d.version },
            data: schemaOf(d.payload, schemas),
          },
        },
      ],
    },
  };
  doc.components.messages = {
    ...(doc.components.messages as object),
    [id]: {
      name: d.type,
      title: `${d.type} v${d.version}`,
      summary: d.summary,
      payload: ref(`${SCHEMA_REF}${id}`),
    },
  };
  doc.channels[id] = {
    address: `events.${d.service}.${d.type}.{state}`,
    description: `${d.summary} Aggregate ${d.aggregateType}; stream ${STREAMS.events}.`,
    parameters: { state: ref('#/components/parameters/state') },
    messages: { [d.type]: ref(`#/components/messages/${id}`) },
  };
  doc.operations[id] = {
    action: 'send',
    summary: d.summary,
    channel: ref(`#/channels/${id}`),
    tags: [{ name: d.service }, { name: 'event' }],
  };
}

function skeleton(version: string): Doc {
  return {
    info: {
      title: 'Rollout Control Plane',
      version,
      description:
        'Commands (`cmd.<service>.<Name>`) and queries (`qry.<service>.<Name>`) are core NATS request/reply; events are on the JetStream stream ROLLOUT_EVENTS (`events.<service>.<Type>.<STATE>`), dead letters on ROLLOUT_DLQ. Generated from libs/contracts by `npm run asyncapi`.',
    },
    servers: {
      local: {
        host: '127.0.0.1:14222',
        protocol: 'nats',
        description: 'The launcher’s nats-server (npm start).',
      },
    },
    channels: {
      reply: {
        address: null,
        description: 'The requester’s inbox (the NATS reply subject).',
        messages: { Reply: ref('#/components/messages/Reply') },
      },
      deadLetters: {
        address: 'dlq.{service}.{consumer}',
        description: `Events a consumer could not apply after its deliveries; stream ${STREAMS.deadLetters}.`,
        parameters: {
          service: { description: 'Service token.' },
          consumer: { description: 'Projection name.' },
        },
        messages: { DeadLetter: ref('#/components/messages/DeadLetter') },
      },
    },
    operations: {
      deadLetter: {
        action: 'send',
        channel: ref('#/channels/deadLetters'),
        summary: 'A dead-lettered event.',
      },
    },
    components: {
      schemas: { EventEnvelope: EVENT_ENVELOPE, Reply: REPLY, DeadLetter: DEAD_LETTER },
      messages: {
        Reply: { name: 'Reply', payload: ref(`${SCHEMA_REF}Reply`) },
        DeadLetter: { name: 'DeadLetter', payload: ref(`${SCHEMA_REF}DeadLetter`) },
      },
      parameters: {
        state: { description: 'Upper-case state code, or `_` when the event belongs to no state.' },
      },
    },
  };
}

/** The AsyncAPI 3.0 document of every subject and payload of the contracts. */
export function buildAsyncApi(version = '0.1.0'): Record<string, unknown> {
  const schemas = payloadSchemas();
  const doc = skeleton(version);
  const nested = Object.fromEntries(Object.entries(schemas));
  doc.components.schemas = { ...nested, ...(doc.components.schemas as object) };
  for (const d of allDefinitions()) {
    if (d.kind === 'event') eventParts(doc, d, schemas);
    else requestParts(doc, d, schemas);
  }
  return { asyncapi: '3.0.0', ...doc, defaultContentType: 'application/json' };
}
