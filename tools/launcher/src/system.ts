import path from 'node:path';
import { resolveInfrastructure, type Infrastructure, type Log } from '@rcp/infra';
import { assertAllHealthy, waitHealthy, type HealthReport } from './health';
import {
  firstExit,
  SERVICES,
  startServices,
  stopLeftoverServices,
  stopServices,
  type RunningService,
} from './services';
import { infrastructureLines, servicesTable } from './status-table';

export const HEALTH_TIMEOUT_MS = 60_000;

export interface RunningSystem {
  infra: Infrastructure;
  services: RunningService[];
  health: HealthReport[];
  describe(): string;
  stop(): Promise<void>;
}

export interface StartSystemOptions {
  repoRoot: string;
  log: Log;
  healthTimeoutMs?: number;
}

const dataDirOf = (repoRoot: string): string =>
  process.env['RCP_DATA_DIR'] ?? path.join(repoRoot, '.data');
const pidDirOf = (repoRoot: string): string => path.join(dataDirOf(repoRoot), 'run');

async function awaitHealthy(
  infra: Infrastructure,
  services: RunningService[],
  timeoutMs: number,
): Promise<HealthReport[]> {
  const reports = await Promise.race([
    waitHealthy(infra.natsUrl, SERVICES, timeoutMs),
    firstExit(services),
  ]);
  assertAllHealthy(reports, timeoutMs);
  return reports;
}

async function startServicesHealthy(infra: Infrastructure, options: StartSystemOptions) {
  const { repoRoot, log } = options;
  const services = await startServices({
    repoRoot,
    natsUrl: infra.natsUrl,
    databaseUrl: infra.databaseUrl,
    log,
    pidDir: pidDirOf(repoRoot),
  });
  try {
    return {
      services,
      health: await awaitHealthy(infra, services, options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS),
    };
  } catch (error) {
    await stopServices(services);
    throw error;
  }
}

/** NATS + PostgreSQL (given or embedded), then the five services, resolved once all report healthy. */
export async function startSystem(options: StartSystemOptions): Promise<RunningSystem> {
  await stopLeftoverServices(options.repoRoot, pidDirOf(options.repoRoot), options.log);
  const infra = await resolveInfrastructure({
    dataDir: dataDirOf(options.repoRoot),
    log: options.log,
  });
  let started: { services: RunningService[]; health: HealthReport[] };
  try {
    started = await startServicesHealthy(infra, options);
  } catch (error) {
    await infra.stop();
    throw error;
  }
  return {
    infra,
    ...started,
    describe: () =>
      `${servicesTable(started.services, started.health)}\n\n${infrastructureLines(infra.natsUrl, infra.databaseUrl, infra.embedded)}`,
    stop: async () => {
      await stopServices(started.services);
      await infra.stop();
    },
  };
}
