import 'reflect-metadata';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { Class } from '@rcp/contracts';

// class-transformer keeps its metadata storage (the `@Type` of nested DTOs) out of its root export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: never;
};

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_REF = '#/components/schemas/';

/**
 * JSON Schemas of every class-validator DTO, keyed by class name, nested DTOs as `$ref`s. A class
 * that declares no rule of its own (e.g. `PauseStateRollout extends StateRolloutTargetCommand`)
 * gets its nearest ancestor's schema; one with no rules at all is an empty object.
 */
export function payloadSchemas(): Record<string, JsonSchema> {
  return validationMetadatasToSchemas({
    refPointerPrefix: SCHEMA_REF,
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, JsonSchema>;
}

export function schemaOf(payload: Class, schemas: Record<string, JsonSchema>): JsonSchema {
  for (let type: unknown = payload; typeof type === 'function' && type !== Object;) {
    const found = schemas[(type as Class).name];
    if (found) return found;
    type = Object.getPrototypeOf(type);
  }
  return { type: 'object', properties: {}, additionalProperties: false };
}
