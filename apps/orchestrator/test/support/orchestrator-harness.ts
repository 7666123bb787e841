import { randomUUID } from 'node:crypto';
import type { Reply } from '@rcp/contracts';
import { request, type NatsConnection } from '@rcp/messaging';
import { eventually, spawnDist, type NodeProcess, type TestInfra } from '@rcp/testing';

export const ORCHESTRATOR_MAIN = 'apps/orchestrator/src/main.js';

/** Milliseconds instead of minutes, no registry import (tests import their own communities). */
export const FAST_ENV = {
  ORCH_RETRY_BACKOFF_MS: '50,100,150',
  ORCH_PHASE_DEADLINE_MS: '20000',
  ORCH_IMPORT_REGISTRY: 'false',
  ORCH_QUALITY_GATE: '{}',
  RCP_ACK_WAIT_MS: '2000',
  LOG_LEVEL: 'warn',
};

export async function startOrchestrator(
  infra: TestInfra,
  nc: NatsConnection,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const proc = spawnDist(ORCHESTRATOR_MAIN, {
    NATS_URL: infra.natsUrl,
    DATABASE_URL: infra.databaseUrl,
    ...FAST_ENV,
    ...env,
  });
  await eventually(
    async () => {
      if (proc.child.exitCode !== null)
        throw new Error(`orchestrator exited:\n${proc.output().slice(-3000)}`);
      const reply = await request(nc, 'qry.orchestrator.Health', {}, 1000);
      if (!reply.ok) throw new Error(`orchestrator not healthy yet: ${reply.error.code}`);
    },
    60_000,
    200,
  );
  return proc;
}

/** Sends a command with a fresh commandId; returns the reply. */
export function command<T = unknown>(
  nc: NatsConnection,
  name: string,
  payload: Record<string, unknown>,
  timeoutMs = 30_000,
): Promise<Reply<T>> {
  return request<T>(
    nc,
    `cmd.orchestrator.${name}`,
    { commandId: randomUUID(), actor: 'test', ...payload },
    timeoutMs,
  );
}

export async function ok<T>(reply: Promise<Reply<T>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`command refused: ${JSON.stringify(r.error)}`);
  return r.data;
}

/** Imports `count` communities of a state (with locations unless listed in `withoutLocation`). */
export async function importCommunities(
  nc: NatsConnection,
  stateCode: string,
  count: number,
  options: { withoutLocation?: number[]; source?: string } = {},
) {
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `${stateCode} Test Town ${String(i + 1).padStart(4, '0')}`,
    stateCode,
    population: 100_000 - i,
    externalId: `${stateCode}-${i + 1}`,
    ...(options.withoutLocation?.includes(i)
      ? {}
      : { latitude: 40 + i / 1000, longitude: -75 - i / 1000 }),
  }));
  return ok(
    command<{ imported: number }>(nc, 'ImportCommunities', {
      format: 'json',
      rows,
      source: options.source ?? 'test',
    }),
  );
}

export function query<T = any>(
  nc: NatsConnection,
  name: string,
  payload: Record<string, unknown>,
): Promise<T> {
  return ok(request<T>(nc, `qry.orchestrator.${name}`, payload));
}
