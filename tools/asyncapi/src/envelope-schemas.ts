import { ERROR_CODES } from '@rcp/contracts';
import { SCHEMA_REF, type JsonSchema } from './payload-schemas';

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});

/** `{ id, type, version, occurredAt, source, aggregate, correlationId, causationId, actor, data }`. */
export const EVENT_ENVELOPE: JsonSchema = {
  type: 'object',
  required: ['id', 'type', 'version', 'occurredAt', 'source', 'aggregate', 'data'],
  properties: {
    id: str('Event id (UUID); also the Nats-Msg-Id.', { format: 'uuid' }),
    type: str('Event type, past tense.'),
    version: { type: 'integer', minimum: 1, description: 'Version of the shape of data.' },
    occurredAt: str('UTC time.', { format: 'date-time' }),
    source: str('Service token that emitted it.'),
    aggregate: {
      type: 'object',
      required: ['type', 'id', 'version'],
      properties: {
        type: { type: 'string' },
        id: { type: 'string' },
        version: { type: 'integer' },
      },
    },
    correlationId: { type: ['string', 'null'] },
    causationId: { type: ['string', 'null'] },
    actor: { type: ['string', 'null'] },
    data: { type: 'object' },
  },
};

/** `{ ok: true, data }` or `{ ok: false, error: { code, message, details } }`. */
export const REPLY: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['ok', 'data'],
      properties: { ok: { const: true }, data: {} },
    },
    {
      type: 'object',
      required: ['ok', 'error'],
      properties: {
        ok: { const: false },
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: str('Stable error code.', { examples: Object.values(ERROR_CODES) }),
            message: { type: 'string' },
            details: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  field: { type: 'string' },
                  constraint: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  ],
};

/** The body of `dlq.<service>.<consumer>` on ROLLOUT_DLQ. */
export const DEAD_LETTER: JsonSchema = {
  type: 'object',
  required: [
    'consumer',
    'service',
    'subject',
    'streamSequence',
    'deliveryCount',
    'error',
    'deadLetteredAt',
  ],
  properties: {
    consumer: { type: 'string' },
    service: { type: 'string' },
    subject: str('The event subject it was read from.'),
    streamSequence: { type: 'integer' },
    deliveryCount: { type: 'integer' },
    error: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        message: { type: 'string' },
        code: { type: 'string' },
      },
    },
    deadLetteredAt: { type: 'string', format: 'date-time' },
    envelope: { oneOf: [{ $ref: `${SCHEMA_REF}EventEnvelope` }, { type: 'null' }] },
    raw: { type: ['string', 'null'], description: 'The bytes, when they were not an envelope.' },
  },
};
