import { ERROR_CODES, errorReply, type ErrorReply } from '@rcp/contracts';
import { DomainError } from '@rcp/domain';

/** The one place that turns a thrown error into a structured reply. */
export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof DomainError) return errorReply(error.code, error.message, error.details);
  return errorReply(ERROR_CODES.INTERNAL, 'internal error; the request was not applied', []);
}
