import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import {
  AlwaysOffSampler,
  NoopSpanProcessor,
  ParentBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK. Call it before anything imports `pg` (main.ts imports an
 * `instrument.ts` first). Spans go to OTLP/HTTP at OTEL_EXPORTER_OTLP_ENDPOINT when it is set;
 * without it, context still propagates (traceparent in NATS headers) but nothing is exported.
 */
export function startTelemetry(
  serviceName: string,
  options: { exporter?: SpanExporter; version?: string } = {},
): void {
  if (sdk) return;
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporter = options.exporter ?? (endpoint ? new OTLPTraceExporter() : undefined);
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: options.version ?? '0.1.0',
    }),
    // Without an exporter NodeSDK would fall back to OTLP on localhost:4318. Instead spans are
    // not recorded unless a caller's trace is sampled: every span still has its context (trace
    // ids in headers and logs), at the cost of a no-op span instead of a recorded one that a
    // no-op processor drops (a few microseconds on every request, event and query).
    ...(exporter
      ? { traceExporter: exporter }
      : {
          spanProcessors: [new NoopSpanProcessor()],
          sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
        }),
    // PostgreSQL calls are spans only when spans go somewhere: wrapping every query to make a
    // span nobody can see cost about a tenth of a busy service's CPU.
    instrumentations: exporter ? [new PgInstrumentation({ requireParentSpan: true })] : [],
  });
  sdk.start();
}

/** Flushes and stops the SDK (on shutdown). */
export async function stopTelemetry(): Promise<void> {
  const current = sdk;
  sdk = undefined;
  await current?.shutdown().catch(() => undefined);
}
