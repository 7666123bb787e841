import { ConcurrencyConflictError } from '@rcp/domain';

/**
 * PostgreSQL error classes that say nothing about the event: connection lost (08), rolled back
 * for a serialization failure or deadlock (40), out of resources (53), shut down or restarting
 * (57), a lock not available (55P03).
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57)|^55P03$/;
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * Whether an error from applying an event is about the moment rather than the event: such an
 * event is redelivered however often it was delivered before, never dead-lettered for it (a
 * database restart during a backlog would otherwise push good events to the dead letters).
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof ConcurrencyConflictError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE_CODES.has(code)))
    return true;
  return typeof message === 'string' && /Connection terminated|connection is closed/i.test(message);
}
