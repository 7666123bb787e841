import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

const tracer = () => trace.getTracer('rollout-control-plane');

/** Minimal header carrier shared by NATS MsgHdrs and plain records. */
export interface HeaderCarrier {
  get(key: string): string | undefined | null;
  set(key: string, value: string): void;
}

/** Writes the active (or given) context's `traceparent`/`tracestate` into a plain record. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Reads a context from a plain record of headers (missing headers give the root context). */
export function contextFromHeaders(headers: Record<string, string | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/**
 * Whether the trace carried by `headers` is sampled (W3C traceparent flag 01). A span continuing
 * an unsampled trace records nothing: work done per message may skip making one and pass the
 * headers on unchanged.
 */
export function isSampled(headers: Record<string, string | undefined>): boolean {
  const traceparent = headers.traceparent;
  if (!traceparent || traceparent.length < 55) return false;
  return (Number.parseInt(traceparent.slice(53, 55), 16) & 1) === 1;
}

/** Runs `fn` inside a new span, ends it, and records an exception on failure. */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; parent?: Context; attributes?: Attributes; links?: Link[] },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The current trace id, or undefined outside a span. */
export function currentTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  const id = span?.spanContext().traceId;
  return id && id !== '00000000000000000000000000000000' ? id : undefined;
}

export { SpanKind };

/** A span link to the context carried by a set of headers (for batch spans), if any. */
export function linkFromHeaders(headers: Record<string, string | undefined>): Link | undefined {
  const spanContext = trace.getSpanContext(contextFromHeaders(headers));
  return spanContext ? { context: spanContext } : undefined;
}

/**
 * Starts (without activating) a span continuing the trace carried by `headers`: for work done in
 * bulk, where each message still deserves its own span in its own trace. The caller ends it.
 */
export function startSpanFromHeaders(
  name: string,
  headers: Record<string, string | undefined>,
  kind: SpanKind,
  attributes?: Attributes,
): Span {
  return tracer().startSpan(name, { kind, attributes }, contextFromHeaders(headers));
}

/** Ends spans, marking them failed when `error` is given. */
export function endSpans(spans: Span[], error?: unknown): void {
  for (const span of spans) {
    if (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    }
    span.end();
  }
}
