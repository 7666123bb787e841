import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  validateSync,
  type ValidationError as ClassValidationError,
} from 'class-validator';
import type { Class, ErrorDetail } from '@rcp/contracts';
import { ValidationError } from '@rcp/domain';
import { flatInstance, forgetFlatPayloadPlans } from './flat-payload';

memoizeValidationMetadata();

const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: false,
};

/**
 * Turns an untrusted JSON value into an instance of `dto`, or throws a ValidationError listing
 * every problem (wrong types, missing fields, unknown fields) by dotted field path.
 */
export async function validatePayload<T extends object>(dto: Class<T>, value: unknown): Promise<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('payload must be a JSON object', [
      { message: 'payload must be a JSON object' },
    ]);
  }
  const nul = fieldsWithNul(value);
  if (nul.length > 0) {
    // PostgreSQL text and jsonb cannot hold U+0000: refuse it here rather than fail in a transaction.
    const details = nul.map((field) => ({
      field,
      constraint: 'noNulCharacter',
      message: `${field} must not contain the NUL character (U+0000)`,
    }));
    throw new ValidationError(
      `invalid ${dto.name}: ${details.map((d) => d.message).join('; ')}`,
      details,
    );
  }
  const flat = flatInstance(dto, value);
  if (flat) return flat;
  const instance = plainToInstance(dto, value) as T;
  // Synchronous: the contracts have no async rules, and it spares a promise chain per request.
  const errors = validateSync(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) {
    const details = flatten(errors);
    throw new ValidationError(
      `invalid ${dto.name}: ${details.map((d) => d.message).join('; ')}`,
      details,
    );
  }
  return instance;
}

function flatten(errors: ClassValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      constraint,
      message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Dotted paths of every string (or key) in a JSON value that contains U+0000. */
function fieldsWithNul(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || '(payload)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldsWithNul(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const field = path ? `${path}.${key}` : key;
      return key.includes('\u0000') ? [field] : fieldsWithNul(item, field);
    });
  }
  return [];
}

/**
 * class-validator looks up a class's rules on every validation by scanning every registered class
 * (for inherited rules): the largest cost of a small query. The rules are fixed once the contract
 * classes are loaded, so the lookup is remembered per class and options, and forgotten whenever a
 * rule is registered.
 */
function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as {
    getTargetValidationMetadatas: (...args: unknown[]) => unknown[];
    addValidationMetadata: (...args: unknown[]) => void;
    __rcpMemo?: boolean;
  };
  if (storage.__rcpMemo) return;
  storage.__rcpMemo = true;
  let memo = new Map<unknown, Map<string, unknown[]>>();
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (...args) => {
    memo = new Map();
    forgetFlatPayloadPlans();
    add(...args);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (Array.isArray(groups) && groups.length > 0)
      return lookUp(target, schema, always, strictGroups, groups);
    const key = `${String(schema)}|${String(always)}|${String(strictGroups)}`;
    let byOptions = memo.get(target);
    if (!byOptions) memo.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };
}
