import { ERROR_CODES, type ErrorCode, type ErrorDetail } from '@rcp/contracts';

/** Base of every expected failure; `code` is stable and becomes the error reply's code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode | string,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(ERROR_CODES.VALIDATION_FAILED, message, details, options);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(ERROR_CODES.NOT_FOUND, message, details);
    this.name = 'NotFoundError';
  }
}

export class ConcurrencyConflictError extends DomainError {
  constructor(streamId: string, expectedVersion: number, options?: { cause?: unknown }) {
    super(
      ERROR_CODES.CONCURRENCY_CONFLICT,
      `stream ${streamId} changed since version ${expectedVersion}; retry the command`,
      [
        {
          field: 'expectedVersion',
          message: 'another writer appended first',
          value: expectedVersion,
        },
      ],
      options,
    );
    this.name = 'ConcurrencyConflictError';
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(ERROR_CODES.INVALID_TRANSITION, message, details);
    this.name = 'InvalidTransitionError';
  }
}
