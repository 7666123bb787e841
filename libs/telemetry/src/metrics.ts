import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus registry of this process (one service per process). */
export const metricsRegistry = new Registry();

/** The service's metrics, served as Prometheus text on `GET /metrics` (see docs/operations.md). */
export const metrics = {
  eventsApplied: new Counter({
    name: 'rcp_events_applied_total',
    help: 'Events applied to a projection (committed), per consumer.',
    labelNames: ['service', 'consumer'] as const,
    registers: [metricsRegistry],
  }),
  deadLetters: new Counter({
    name: 'rcp_dead_letters_total',
    help: 'Events published to ROLLOUT_DLQ by this process, per consumer.',
    labelNames: ['service', 'consumer'] as const,
    registers: [metricsRegistry],
  }),
  consumerLag: new Gauge({
    name: 'rcp_consumer_lag',
    help: 'Messages not yet delivered to a durable consumer (JetStream num_pending), at scrape time.',
    labelNames: ['service', 'consumer'] as const,
    registers: [metricsRegistry],
  }),
  consumerAckPending: new Gauge({
    name: 'rcp_consumer_ack_pending',
    help: 'Messages delivered to a durable consumer and not yet acknowledged, at scrape time.',
    labelNames: ['service', 'consumer'] as const,
    registers: [metricsRegistry],
  }),
  commandDuration: new Histogram({
    name: 'rcp_command_duration_seconds',
    help: 'Time to answer a command or query, per subject and outcome (ok or the error code).',
    labelNames: ['service', 'subject', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metricsRegistry],
  }),
};

let defaultsCollected = false;

/** Adds Node's process metrics (CPU, memory, event loop) under the `rcp_process_` prefix, once. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'rcp_process_' });
}
