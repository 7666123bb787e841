import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CommandDefinition, QueryDefinition, Reply } from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import type { TestInfra } from '@rcp/testing';
import { FlagsModule } from '../src/flags.module';

/** The flags service booted in-process on the test infra, as main.ts boots it. */
export interface FlagsApp {
  app: INestApplicationContext;
  runtime: ServiceRuntime;
  close(): Promise<void>;
}

export async function startFlagsApp(
  infra: TestInfra,
  env: Record<string, string> = {},
): Promise<FlagsApp> {
  Object.assign(process.env, {
    NATS_URL: infra.natsUrl,
    DATABASE_URL: infra.databaseUrl,
    LOG_LEVEL: 'error',
    FLAGS_EMERGENCY_STOP: '',
    ...env,
  });
  const app = await NestFactory.createApplicationContext(FlagsModule, { logger: false });
  return { app, runtime: app.get(ServiceRuntime), close: () => app.close() };
}

export const clientConnection = (infra: TestInfra): Promise<NatsConnection> =>
  connectNats({ url: infra.natsUrl, name: 'flags-test' });

export const commandFields = (actor = 'ops') => ({ commandId: randomUUID(), actor });

/** Sends a command or query and returns its reply. */
export function send<T = unknown>(
  nc: NatsConnection,
  definition: CommandDefinition | QueryDefinition,
  payload: object,
): Promise<Reply<T>> {
  return request<T>(nc, definition.subject, payload, 15_000);
}

/** Sends and returns `data`, failing the test on an error reply. */
export async function sendOk<T = unknown>(
  nc: NatsConnection,
  definition: CommandDefinition | QueryDefinition,
  payload: object,
): Promise<T> {
  const reply = await send<T>(nc, definition, payload);
  if (!reply.ok) throw new Error(`${definition.subject}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}
