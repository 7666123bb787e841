import type { Class } from '@rcp/contracts';

/** What a handler knows about the request besides its payload. */
export interface RequestContext {
  subject: string;
  /** W3C trace headers of the request (traceparent, tracestate). */
  traceHeaders: Record<string, string>;
  /** Raw JSON of the request, for idempotency hashing. */
  raw: string;
}

export type RequestHandler<T extends object = object, R = unknown> = (
  payload: T,
  ctx: RequestContext,
) => Promise<R>;

/** A subject bound to its payload class and handler. */
export interface Route<T extends object = object> {
  subject: string;
  name: string;
  payload: Class<T>;
  handler: RequestHandler<T>;
}
