import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError as ClassValidationError } from 'class-validator';
import type { Class, ErrorDetail } from '@rcp/contracts';
import { ValidationError } from '@rcp/domain';

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
