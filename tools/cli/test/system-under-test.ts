import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { SERVICES } from '@rcp/contracts';
import { request } from '@rcp/messaging';
import {
  eventually,
  repoRoot,
  spawnDist,
  startTestInfra,
  type NodeProcess,
  type TestInfra,
} from '@rcp/testing';

const FOLDERS: Record<string, string> = { ledger: 'cost-ledger' };

/** Fast settings: no dataset import (tests import their own towns), short retries and ack waits. */
const FAST_ENV = {
  ORCH_IMPORT_REGISTRY: 'false',
  ORCH_RETRY_BACKOFF_MS: '50,100,150',
  ORCH_QUALITY_GATE: '{}',
  RCP_ACK_WAIT_MS: '3000',
  LOG_LEVEL: 'warn',
  METRICS_PORT: '0',
};

export interface SystemUnderTest {
  infra: TestInfra;
  nc: NatsConnection;
  services: Record<string, NodeProcess>;
  /** Runs `rollout …` (the compiled CLI) against this system. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

async function waitHealthy(nc: NatsConnection, services: Record<string, NodeProcess>) {
  await eventually(
    async () => {
      for (const [token, proc] of Object.entries(services)) {
        if (proc.child.exitCode !== null)
          throw new Error(`${token} exited:\n${proc.output().slice(-3000)}`);
        const reply = await request(nc, `qry.${token}.Health`, {}, 1_000);
        if (!reply.ok) throw new Error(`${token} not healthy: ${reply.error.code}`);
      }
    },
    90_000,
    250,
  );
}

/** A private nats-server and database, and the five services from dist/, all healthy. */
export async function startSystem(
  label: string,
  env: (token: string) => Record<string, string> = () => ({}),
): Promise<SystemUnderTest> {
  const infra = await startTestInfra(label);
  const nc = await connect({ servers: infra.natsUrl });
  const services: Record<string, NodeProcess> = {};
  for (const token of SERVICES)
    services[token] = spawnDist(`apps/${FOLDERS[token] ?? token}/src/main.js`, {
      NATS_URL: infra.natsUrl,
      DATABASE_URL: infra.databaseUrl,
      DB_SCHEMA: token,
      ...FAST_ENV,
      ...env(token),
    });
  const stop = async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await nc.close();
    await infra.stop();
  };
  try {
    await waitHealthy(nc, services);
  } catch (error) {
    await stop();
    throw error;
  }
  return { infra, nc, services, cli: (args) => runCliProcess(infra.natsUrl, args), stop };
}

export function runCliProcess(natsUrl: string, args: string[]) {
  const main = path.join(repoRoot, 'tools', 'cli', 'bin', 'rollout.js');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { env: { ...process.env, NATS_URL: natsUrl, ROLLOUT_ACTOR: 'e2e' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Imports `count` towns with locations into a state's registry. */
export async function importTowns(nc: NatsConnection, stateCode: string, count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `${stateCode} E2E Town ${i + 1}`,
    stateCode,
    population: 50_000 - i,
    externalId: `${stateCode}-e2e-${i + 1}`,
    latitude: 41.5 + i / 100,
    longitude: -71.4 - i / 100,
  }));
  const reply = await request(
    nc,
    'cmd.orchestrator.ImportCommunities',
    { commandId: randomUUID(), actor: 'e2e', format: 'json', rows, source: 'e2e' },
    30_000,
  );
  if (!reply.ok) throw new Error(`import refused: ${JSON.stringify(reply.error)}`);
}
