import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS, type ServiceName } from '@rcp/contracts';
import type { ServiceRuntime } from '@rcp/eventing';
import { collectProcessMetrics, metrics, metricsRegistry } from '@rcp/telemetry';

/** Default `METRICS_PORT` per service; 0 turns the endpoint off. */
export const DEFAULT_METRICS_PORTS: Record<ServiceName, number> = {
  orchestrator: 9464,
  discovery: 9465,
  ledger: 9466,
  flags: 9467,
  quota: 9468,
};

/** `METRICS_PORT` (0 = off) and `METRICS_HOST` (default 127.0.0.1; 0.0.0.0 in containers). */
export function metricsAddress(service: ServiceName, env: NodeJS.ProcessEnv = process.env) {
  const raw = env.METRICS_PORT;
  const port = raw === undefined || raw === '' ? DEFAULT_METRICS_PORTS[service] : Number(raw);
  return {
    port: Number.isInteger(port) && port >= 0 ? port : 0,
    host: env.METRICS_HOST || '127.0.0.1',
  };
}

/** Refreshes the lag gauges from JetStream consumer info (at scrape time). */
async function refreshLag(runtime: ServiceRuntime): Promise<void> {
  const jsm = await jetstreamManager(runtime.nc);
  const service = runtime.options.service;
  for (const consumer of runtime.consumers) {
    const info = await jsm.consumers.info(STREAMS.events, consumer.durable).catch(() => null);
    if (!info) continue;
    const labels = { service, consumer: consumer.durable };
    metrics.consumerLag.set(labels, info.num_pending);
    metrics.consumerAckPending.set(labels, info.num_ack_pending);
  }
}

/** Liveness and readiness: NATS connected and PostgreSQL answering. */
export async function healthOf(runtime: ServiceRuntime) {
  const nats = !runtime.nc.isClosed();
  const database = await runtime.db.query('SELECT 1').then(
    () => true,
    () => false,
  );
  return {
    service: runtime.options.service,
    status: nats && database ? ('ok' as const) : ('degraded' as const),
    version: runtime.options.version,
    nats,
    database,
    consumers: runtime.consumers.map((c) => c.durable),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

async function route(runtime: ServiceRuntime, url: string, res: ServerResponse) {
  const path = url.split('?')[0];
  if (path === '/metrics') {
    await refreshLag(runtime).catch(() => undefined);
    return send(res, 200, metricsRegistry.contentType, await metricsRegistry.metrics());
  }
  if (path === '/health') {
    const health = await healthOf(runtime);
    return send(
      res,
      health.status === 'ok' ? 200 : 503,
      'application/json',
      JSON.stringify(health),
    );
  }
  send(res, 404, 'text/plain', 'not found: try /metrics or /health\n');
}

/**
 * Serves `GET /metrics` (Prometheus text) and `GET /health` (JSON). A port already in use is
 * logged and skipped: metrics must never stop a service from working.
 */
export async function startMetricsServer(runtime: ServiceRuntime): Promise<Server | undefined> {
  const { port, host } = metricsAddress(runtime.options.service);
  if (port === 0) return undefined;
  collectProcessMetrics();
  const server = createServer((req, res) => {
    route(runtime, req.url ?? '/', res).catch((error: Error) =>
      send(res, 500, 'text/plain', `${error.message}\n`),
    );
  });
  return new Promise((resolve) => {
    server.once('error', (error) => {
      runtime.logger.warn('metrics endpoint not started', { port, host, error });
      resolve(undefined);
    });
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      runtime.logger.info('metrics endpoint listening', { url: `http://${host}:${bound}/metrics` });
      resolve(server);
    });
  });
}
