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

/** The services (all five, or a subset) as child processes on a private NATS server and a fresh database. */
export interface TestSystem {
  infra: TestInfra;
  nc: NatsConnection;
  services: RunningService[];
  ask<T = any>(subject: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  command<T = any>(subject: string, payload: Record<string, unknown>): Promise<Reply<T>>;
  /** A command with a fresh commandId; its data, or a throw naming the refusal. */
  send<T = any>(subject: string, payload: Record<string, unknown>): Promise<T>;
  /** Starts more services (by token, e.g. `discovery`) and waits until they answer Health. */
  start(tokens: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface TestSystemOptions {
  /** Services to start at once, by token (default: all five; `[]` for none yet). */
  services?: readonly string[];
}

/**
 * Starts the system; `env` is given to every service (on top of this process's environment,
 * which `stop` restores).
 */
export async function startTestSystem(
  label: string,
  env: Record<string, string> = {},
  options: TestSystemOptions = {},
): Promise<TestSystem> {
  const saved = { ...process.env };
  const infra = await startTestInfra(label);
  const pidDir = await mkdtemp(path.join(os.tmpdir(), `rcp-${label}-pids-`));
  Object.assign(process.env, { LOG_LEVEL: 'warn', ...env });
  const services: RunningService[] = [];
  const start = async (tokens: readonly string[]) => {
    const specs = SERVICES.filter((s) => tokens.includes(s.token));
    services.push(
      ...(await startServices({
        repoRoot,
        natsUrl: infra.natsUrl,
        databaseUrl: infra.databaseUrl,
        log: () => undefined,
        pidDir,
        services: specs,
      })),
    );
    assertAllHealthy(await waitHealthy(infra.natsUrl, specs, 90_000), 90_000);
  };
  await start(options.services ?? SERVICES.map((s) => s.token));
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
    send: (subject, payload) =>
      ask(subject, { commandId: randomUUID(), actor: 'e2e', ...payload }, 60_000),
    start,
    async stop() {
      await nc.close();
      await stopServices(services);
      await infra.stop();
      await rm(pidDir, { recursive: true, force: true });
      process.env = saved;
    },
  };
}

/** Synthetic communities of one state, a hundredth of a degree apart, imported and rolled out. */
export async function rollOutTowns(
  system: TestSystem,
  town: {
    stateCode: string;
    label: string;
    count: number;
    population: number;
    latitude: number;
    longitude: number;
  },
  settings: Record<string, unknown>,
): Promise<void> {
  const { stateCode, label, count } = town;
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `${stateCode} ${label} Town ${i + 1}`,
    stateCode,
    population: town.population,
    externalId: `${stateCode}-${label.toLowerCase()}-${i + 1}`,
    latitude: town.latitude + i / 100,
    longitude: town.longitude - i / 100,
  }));
  await system.send('cmd.orchestrator.ImportCommunities', { format: 'json', rows, source: 'e2e' });
  await system.send('cmd.orchestrator.StartStateRollout', {
    stateCode,
    initiatedBy: 'e2e',
    settings,
  });
}
