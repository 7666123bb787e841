import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  describeExit,
  killOnExit,
  reclaimStaleServer,
  terminate,
  waitForExit,
  type Log,
} from '@rcp/infra';

export interface ServiceSpec {
  /** The public service token (subjects, schema, SERVICE_NAME). */
  token: string;
  /** The folder under `apps/`. */
  folder: string;
}

export const SERVICES: readonly ServiceSpec[] = [
  { token: 'orchestrator', folder: 'orchestrator' },
  { token: 'discovery', folder: 'discovery' },
  { token: 'ledger', folder: 'cost-ledger' },
  { token: 'flags', folder: 'flags' },
  { token: 'quota', folder: 'quota' },
];

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
}

export interface StartServicesOptions {
  repoRoot: string;
  natsUrl: string;
  databaseUrl: string;
  log: Log;
  /** Where each service's pid is recorded, so a later launcher can stop services a killed one left behind. */
  pidDir: string;
  services?: readonly ServiceSpec[];
}

export const serviceEntry = (repoRoot: string, spec: ServiceSpec): string =>
  path.join(repoRoot, 'dist', 'apps', spec.folder, 'src', 'main.js');

function prefixLines(stream: Readable | null, prefix: string, target: Writable): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
    target.write(`${prefix} ${line}\n`),
  );
}

function serviceEnv(spec: ServiceSpec, options: StartServicesOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NATS_URL: options.natsUrl,
    DATABASE_URL: options.databaseUrl,
    DB_SCHEMA: spec.token,
    SERVICE_NAME: spec.token,
  };
}

function startService(spec: ServiceSpec, options: StartServicesOptions): RunningService {
  const entry = serviceEntry(options.repoRoot, spec);
  if (!existsSync(entry))
    throw new Error(`${spec.token}: ${entry} does not exist; build first with "npm run build"`);
  // Own process group: a Ctrl+C reaches only the launcher, which stops services before the infrastructure.
  const child = spawn(process.execPath, [entry], {
    cwd: options.repoRoot,
    env: serviceEnv(spec, options),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.on('error', (error) =>
    options.log(`[launcher] ${spec.token} could not start: ${error.message}`),
  );
  killOnExit(child);
  prefixLines(child.stdout, `[${spec.token}]`, process.stdout);
  prefixLines(child.stderr, `[${spec.token}]`, process.stderr);
  const exited = waitForExit(child).then((exit) =>
    options.log(`[launcher] ${spec.token} ${describeExit(exit)}`),
  );
  return { spec, child, pid: child.pid ?? -1, exited };
}

const pidFile = (pidDir: string, spec: ServiceSpec): string =>
  path.join(pidDir, `${spec.token}.pid`);

/** Stops services that a killed launcher left running (their pid files point at orphaned processes). */
export async function stopLeftoverServices(
  repoRoot: string,
  pidDir: string,
  log: Log,
): Promise<void> {
  for (const spec of SERVICES) {
    await reclaimStaleServer(pidFile(pidDir, spec), serviceEntry(repoRoot, spec), 'SIGTERM', log);
  }
}

/** Spawns every service as `node dist/apps/<folder>/src/main.js` with its NATS, database and schema settings. */
export async function startServices(options: StartServicesOptions): Promise<RunningService[]> {
  await mkdir(options.pidDir, { recursive: true });
  const started: RunningService[] = [];
  try {
    for (const spec of options.services ?? SERVICES) started.push(startService(spec, options));
    await Promise.all(
      started.map((service) =>
        writeFile(pidFile(options.pidDir, service.spec), `${service.pid}\n`),
      ),
    );
  } catch (error) {
    for (const service of started) service.child.kill('SIGKILL');
    throw error;
  }
  return started;
}

/** SIGTERM to every service, SIGKILL to those still running after `timeoutMs`; resolves when all have exited. */
export async function stopServices(
  services: readonly RunningService[],
  timeoutMs = 10_000,
): Promise<void> {
  await Promise.all(services.map((service) => terminate(service.child, timeoutMs)));
  await Promise.all(services.map((service) => service.exited));
}

/** Rejects as soon as any service exits (a service that dies during start-up). */
export function firstExit(services: readonly RunningService[]): Promise<never> {
  return Promise.race(
    services.map(async (service) => {
      const exit = await waitForExit(service.child);
      throw new Error(`${service.spec.token} ${describeExit(exit)} before it became healthy`);
    }),
  );
}
