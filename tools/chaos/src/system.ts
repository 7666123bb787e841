import { request, connectNats, type NatsConnection } from '@rcp/messaging';
import { startNatsNodes, type NatsNodes } from './nats-nodes';
import { embeddedPostgres, freshDatabase, type PostgresTarget } from './postgres-target';
import { ALL_SERVICES, ServiceProcess, type ServiceSpec } from './service-process';
import { repoRoot } from './repo-root';

export interface SystemOptions {
  label: string;
  /** 1 node, or 3 for a JetStream cluster with R3 streams. */
  natsNodes?: 1 | 3;
  /** `embedded`: a private PostgreSQL the driver may SIGKILL; `shared`: a fresh database on the test server. */
  postgres?: 'embedded' | 'shared';
  /** Processes per service sharing its consumers and queue group. */
  replicas?: number;
  services?: readonly ServiceSpec[];
  /** Extra environment for every service, and per service token. */
  env?: Record<string, string>;
  serviceEnv?: Record<string, Record<string, string>>;
  /** Use these instead of starting NATS / a database (e.g. a server with per-service users). */
  nats?: NatsNodes;
  pg?: PostgresTarget;
  /** The driver's own NATS credentials. */
  driverUser?: { user: string; pass: string };
}

/** Fast timings for tests: millisecond backoffs, short leases and ack waits. */
export const CHAOS_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  ORCH_IMPORT_REGISTRY: 'false',
  // Long enough that a retry outlives a PostgreSQL or NATS restart (~30 s under load).
  ORCH_RETRY_BACKOFF_MS: '3000,10000,30000',
  ORCH_PHASE_DEADLINE_MS: '60000',
  ORCH_QUALITY_GATE: '{}',
  RCP_ACK_WAIT_MS: '3000',
  DISCOVERY_LEASE_MS: '4000',
  DISCOVERY_POLL_MS: '100',
  SIM_WEB_SLOW_MS: '100',
  SCAN_TIMEOUT_MS: '2000',
  // Two full 300-community runs need more Places calls than a free tenant's month holds.
  QUOTA_LIMITS: JSON.stringify(
    Object.fromEntries(
      ['essentials', 'pro', 'enterprise'].map((sku) => [
        `google_places.${sku}`,
        { free: 10_000_000, pro: 10_000_000, enterprise: 10_000_000 },
      ]),
    ),
  ),
};

export interface RunningSystem {
  nats: NatsNodes;
  pg: PostgresTarget;
  processes: ServiceProcess[];
  /** The driver's own connection (reconnects for ever). */
  nc: NatsConnection;
  byToken(token: string): ServiceProcess[];
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function envFor(spec: ServiceSpec, options: SystemOptions, nats: NatsNodes, pg: PostgresTarget) {
  return {
    ...process.env,
    ...CHAOS_ENV,
    NATS_URL: nats.url,
    DATABASE_URL: pg.databaseUrl,
    DB_SCHEMA: spec.token,
    SERVICE_NAME: spec.token,
    STREAM_REPLICAS: String(options.natsNodes ?? 1),
    ...options.env,
    ...options.serviceEnv?.[spec.token],
  };
}

/** Resolves once every service answers `qry.<service>.Health` and every process is alive. */
export async function waitHealthy(
  nc: NatsConnection,
  processes: ServiceProcess[],
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const tokens = [...new Set(processes.map((p) => p.spec.token))];
  for (const token of tokens) {
    for (;;) {
      const dead = processes.find((p) => !p.alive);
      if (dead) throw new Error(`${dead.name} exited:\n${dead.tail()}`);
      const reply = await request(nc, `qry.${token}.Health`, {}, 1_000).catch(() => null);
      if (reply?.ok) break;
      if (Date.now() > deadline) throw new Error(`${token} not healthy in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** NATS, PostgreSQL and every service (each `replicas` times), started and healthy. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const nats = options.nats ?? (await startNatsNodes(options.natsNodes ?? 1, options.label));
  const pg =
    options.pg ??
    (options.postgres === 'embedded'
      ? await embeddedPostgres(options.label)
      : await freshDatabase(options.label));
  const nc = await connectNats({
    url: nats.url,
    name: `chaos-${options.label}`,
    ...options.driverUser,
  });
  const processes: ServiceProcess[] = [];
  for (const spec of options.services ?? ALL_SERVICES)
    for (let r = 0; r < (options.replicas ?? 1); r++)
      processes.push(new ServiceProcess(spec, r, repoRoot, envFor(spec, options, nats, pg)));
  const system: RunningSystem = {
    nats,
    pg,
    processes,
    nc,
    byToken: (token) => processes.filter((p) => p.spec.token === token),
    waitHealthy: (timeoutMs) => waitHealthy(nc, processes, timeoutMs),
    async stop() {
      await Promise.all(processes.map((p) => p.stop()));
      await nc.close().catch(() => undefined);
      await nats.stop();
      await pg.stop();
    },
  };
  try {
    // Orchestrator first alone: the first process creates the streams (no create race).
    processes[0].start();
    await waitHealthy(nc, [processes[0]]);
    for (const p of processes.slice(1)) p.start();
    await system.waitHealthy();
  } catch (error) {
    await system.stop().catch(() => undefined);
    throw error;
  }
  return system;
}
