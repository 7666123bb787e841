/** Stable error codes of every error reply. Never rename one: clients switch on them. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNKNOWN_COMMAND: 'UNKNOWN_COMMAND',
  NOT_FOUND: 'NOT_FOUND',
  CONCURRENCY_CONFLICT: 'CONCURRENCY_CONFLICT',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  ROLLOUT_ALREADY_ACTIVE: 'ROLLOUT_ALREADY_ACTIVE',
  UNKNOWN_STATE: 'UNKNOWN_STATE',
  NO_COMMUNITIES: 'NO_COMMUNITIES',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  UNAVAILABLE: 'UNAVAILABLE',
  TIMEOUT: 'TIMEOUT',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** One problem with an input: which field, what rule, and a sentence for people. */
export interface ErrorDetail {
  field?: string;
  constraint?: string;
  message: string;
  value?: unknown;
}

/** The error part of a failed reply. */
export interface ReplyError {
  code: ErrorCode | string;
  message: string;
  details: ErrorDetail[];
}

/** A successful reply. */
export interface OkReply<T> {
  ok: true;
  data: T;
}

/** A failed reply. */
export interface ErrorReply {
  ok: false;
  error: ReplyError;
}

/** Every command and query reply. */
export type Reply<T = unknown> = OkReply<T> | ErrorReply;

/** Builds a successful reply. */
export function okReply<T>(data: T): OkReply<T> {
  return { ok: true, data };
}

/** Builds a failed reply. */
export function errorReply(code: string, message: string, details: ErrorDetail[] = []): ErrorReply {
  return { ok: false, error: { code, message, details } };
}
