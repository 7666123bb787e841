import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Reply } from '@rcp/contracts';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { repoRoot, startTestInfra, type TestInfra } from '@rcp/testing';
import { assertAllHealthy, waitHealthy } from '../../tools/launcher/src/health';
import {
  SERVICES,
  startServices,
  stopServices,
  type RunningService,
} from '../../tools/launcher/src/services';

/** All five services as child processes on a private NATS server and a fresh database. */
export interface TestSystem {
  infra: TestInfra;
  nc: NatsConnection;
  services: RunningService[];
  ask<T = any>(subject: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  command<T = any>(subject: string, payload: Record<string, unknown>): Promise<Reply<T>>;
  stop(): Promise<void>;
}

/** Starts the system; `env` is given to every service (on top of this process's environment). */
export async function startTestSystem(
  label: string,
  env: Record<string, string> = {},
): Promise<TestSystem> {
  const infra = await startTestInfra(label);
  const pidDir = await mkdtemp(path.join(os.tmpdir(), `rcp-${label}-pids-`));
  Object.assign(process.env, { LOG_LEVEL: 'warn', ...env });
  const services = await startServices({
    repoRoot,
    natsUrl: infra.natsUrl,
    databaseUrl: infra.databaseUrl,
    log: () => undefined,
    pidDir,
  });
  assertAllHealthy(await waitHealthy(infra.natsUrl, SERVICES, 90_000), 90_000);
  const nc = await connectNats({ url: infra.natsUrl, name: `${label}-test` });
  const ask = async <T>(
    subject: string,
    payload: Record<string, unknown>,
    timeoutMs = 30_000,
  ): Promise<T> => {
    const reply = await request<T>(nc, subject, payload, timeoutMs);
    if (!reply.ok) throw new Error(`${subject}: ${reply.error.code}: ${reply.error.message}`);
    return reply.data;
  };
  return {
    infra,
    nc,
    services,
    ask,
    command: (subject, payload) =>
      request(nc, subject, { commandId: randomUUID(), actor: 'e2e', ...payload }, 60_000),
    async stop() {
      await nc.close();
      await stopServices(services);
      await infra.stop();
      await rm(pidDir, { recursive: true, force: true });
    },
  };
}
