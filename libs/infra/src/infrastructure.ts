import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';
import { silentLog, type Log } from './log';
import { isNatsReachable } from './nats-readiness';
import { startNatsServer } from './nats-server';
import { ensureDatabase, isPostgresReachable, redactUrl, withDatabase } from './postgres-admin';

export const DEFAULT_NATS_PORT = 14222;
export const DEFAULT_PG_PORT = 15432;
export const DEFAULT_DATABASE = 'rollout';

export interface InfrastructureOptions {
  /** Where embedded servers keep their data: `<dataDir>/nats` and `<dataDir>/pg`. */
  dataDir: string;
  log?: Log;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface Infrastructure {
  natsUrl: string;
  databaseUrl: string;
  /** Which servers this call started itself (and `stop()` will stop). */
  embedded: { nats: boolean; postgres: boolean };
  stop(): Promise<void>;
}

interface Resolved {
  url: string;
  stop?: () => Promise<void>;
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got "${raw}"`);
  }
  return port;
}

async function resolveNats(
  options: InfrastructureOptions,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<Resolved> {
  const given = env['NATS_URL'];
  if (given) {
    if (!(await isNatsReachable(given)))
      throw new Error(`NATS_URL is set to ${redactUrl(given)}, but no NATS server answers there`);
    return { url: given };
  }
  const preferredPort = portFrom(env, 'RCP_NATS_PORT', DEFAULT_NATS_PORT);
  const storeDir = path.join(options.dataDir, 'nats');
  const server = await startNatsServer({
    storeDir,
    preferredPort,
    logFile: path.join(options.dataDir, 'nats-server.log'),
    log,
  });
  if (server.port !== preferredPort)
    log(`Port ${preferredPort} is taken; nats-server uses port ${server.port} instead`);
  log(`Started nats-server (pid ${server.pid}) at ${server.url}, data in ${storeDir}`);
  return { url: server.url, stop: () => server.stop() };
}

async function resolvePostgres(
  options: InfrastructureOptions,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<Resolved> {
  const given = env['DATABASE_URL'];
  if (given) {
    if (!(await isPostgresReachable(given)))
      throw new Error(
        `DATABASE_URL is set to ${redactUrl(given)}, but PostgreSQL does not answer there`,
      );
    return { url: given };
  }
  const preferredPort = portFrom(env, 'RCP_PG_PORT', DEFAULT_PG_PORT);
  const dataDir = path.join(options.dataDir, 'pg');
  const pg = await startEmbeddedPostgres({ dataDir, preferredPort, log });
  if (pg.port !== preferredPort)
    log(`Port ${preferredPort} is taken; PostgreSQL uses port ${pg.port} instead`);
  log(`Started embedded PostgreSQL (pid ${pg.pid}) on 127.0.0.1:${pg.port}, data in ${dataDir}`);
  try {
    await ensureDatabase(pg.url, DEFAULT_DATABASE);
  } catch (error) {
    await pg.stop();
    throw error;
  }
  return { url: withDatabase(pg.url, DEFAULT_DATABASE), stop: () => pg.stop() };
}

/**
 * NATS and PostgreSQL for the system: `NATS_URL` / `DATABASE_URL` when set, otherwise our own
 * nats-server (JetStream) and embedded PostgreSQL with data under `dataDir`.
 */
export async function resolveInfrastructure(
  options: InfrastructureOptions,
): Promise<Infrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLog;
  const nats = await resolveNats(options, env, log);
  let postgres: Resolved;
  try {
    postgres = await resolvePostgres(options, env, log);
  } catch (error) {
    await nats.stop?.();
    throw error;
  }
  return {
    natsUrl: nats.url,
    databaseUrl: postgres.url,
    embedded: { nats: nats.stop !== undefined, postgres: postgres.stop !== undefined },
    stop: async () => {
      await postgres.stop?.();
      await nats.stop?.();
    },
  };
}
