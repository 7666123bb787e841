import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describeExit, killOnExit, terminate, waitForExit } from './child-process';
import { pickPort } from './free-port';
import { LineBuffer } from './line-buffer';
import { silentLog, type Log } from './log';
import { ensureNatsServerBinary } from './nats-binary';
import { isJetStreamReady } from './nats-readiness';
import { reclaimStaleServer } from './stale-process';
import { waitFor } from './wait-for';

export interface NatsClusterOptions {
  name: string;
  /** Port for routes between the cluster's servers. */
  port: number;
  /** Route URLs of the other servers, e.g. `nats://127.0.0.1:6223`. */
  routes: string[];
}

export interface NatsServerOptions {
  storeDir: string;
  /** Exact client port; without it `preferredPort` when free, else any free port. */
  port?: number;
  preferredPort?: number;
  host?: string;
  /** `-n`; a unique name by default. Readiness requires the answering server to carry it. */
  serverName?: string;
  cluster?: NatsClusterOptions;
  /** HTTP monitoring port (`-m`); off when omitted. */
  monitorPort?: number;
  /** Also append the server's output to this file. */
  logFile?: string;
  /** Path of the binary; found (or installed) with `ensureNatsServerBinary` when omitted. */
  binary?: string;
  startTimeoutMs?: number;
  log?: Log;
}

export interface NatsServerHandle {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

export const natsPidFile = (storeDir: string): string => path.join(storeDir, 'nats-server.pid');

const uniqueName = (port: number): string => `rcp-nats-${port}-${randomBytes(4).toString('hex')}`;

function serverArgs(
  options: NatsServerOptions,
  host: string,
  port: number,
  name: string,
): string[] {
  const storeDir = options.storeDir;
  const args = [
    '-js',
    '-sd',
    storeDir,
    '-a',
    host,
    '-p',
    String(port),
    '-n',
    name,
    '-P',
    natsPidFile(storeDir),
  ];
  if (options.monitorPort !== undefined) args.push('-m', String(options.monitorPort));
  const { cluster } = options;
  if (cluster) {
    args.push('--cluster_name', cluster.name, '--cluster', `nats://${host}:${cluster.port}`);
    if (cluster.routes.length > 0) args.push('--routes', cluster.routes.join(','));
  }
  return args;
}

function spawnServer(
  binary: string,
  args: string[],
  logFile: string | undefined,
  output: LineBuffer,
): ChildProcess {
  // Own process group: a Ctrl+C in the terminal reaches the launcher, which stops services first.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.on('error', (error) => output.push(`could not run ${binary}: ${error.message}`));
  killOnExit(child);
  const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    output.follow(stream);
    if (file) stream?.pipe(file, { end: false });
  }
  if (file) child.once('exit', () => file.end());
  return child;
}

async function earlyExit(child: ChildProcess, output: LineBuffer, url: string): Promise<never> {
  const exit = await waitForExit(child);
  throw new Error(
    `nats-server for ${url} ${describeExit(exit)} before it was ready. Last lines:\n${output.tail()}`,
  );
}

interface Starting {
  child: ChildProcess;
  output: LineBuffer;
  url: string;
  name: string;
}

async function awaitReady(
  { child, output, url, name }: Starting,
  timeoutMs: number,
): Promise<void> {
  const abort = new AbortController();
  const description = `JetStream at ${url}`;
  const ready = waitFor(() => isJetStreamReady(url, 2_000, name), {
    timeoutMs,
    description,
    signal: abort.signal,
  });
  try {
    await Promise.race([ready, earlyExit(child, output, url)]);
  } catch (error) {
    await terminate(child, 2_000);
    if (error instanceof Error && !error.message.startsWith('nats-server for')) {
      error.message = `${error.message}. Last lines of nats-server:\n${output.tail()}`;
    }
    throw error;
  } finally {
    abort.abort();
    ready.catch(() => undefined);
  }
}

function toHandle(
  child: ChildProcess,
  url: string,
  port: number,
  storeDir: string,
): NatsServerHandle {
  return {
    url,
    port,
    pid: child.pid ?? -1,
    storeDir,
    stop: async (timeoutMs = 10_000) => void (await terminate(child, timeoutMs)),
    kill: (signal = 'SIGKILL') => void child.kill(signal),
  };
}

/** Starts `nats-server -js` on loopback and resolves once JetStream answers. */
export async function startNatsServer(options: NatsServerOptions): Promise<NatsServerHandle> {
  const log = options.log ?? silentLog;
  const host = options.host ?? '127.0.0.1';
  const binary = options.binary ?? (await ensureNatsServerBinary(log));
  await mkdir(options.storeDir, { recursive: true });
  await reclaimStaleServer(natsPidFile(options.storeDir), 'nats-server', 'SIGTERM', log);
  const port = options.port ?? (await pickPort(options.preferredPort, host));
  const url = `nats://${host}:${port}`;
  const name = options.serverName ?? uniqueName(port);
  const output = new LineBuffer();
  const child = spawnServer(binary, serverArgs(options, host, port, name), options.logFile, output);
  await awaitReady({ child, output, url, name }, options.startTimeoutMs ?? 15_000);
  return toHandle(child, url, port, options.storeDir);
}
