import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ServiceRuntime } from '@rcp/eventing';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import type { Reply } from '@rcp/contracts';
import type { TestInfra } from '@rcp/testing';
import { QuotaModule, type QuotaModuleOptions } from '../src/quota.module';

/** The quota service in-process on a test's infra, with a client to talk to it. */
export interface QuotaTestApp {
  app: INestApplicationContext;
  runtime: ServiceRuntime;
  nc: NatsConnection;
  send<T = Record<string, unknown>>(name: string, payload: object): Promise<Reply<T>>;
  ask<T = Record<string, unknown>>(name: string, payload: object): Promise<Reply<T>>;
  close(): Promise<void>;
}

export async function startQuotaApp(
  infra: TestInfra,
  options: QuotaModuleOptions = {},
): Promise<QuotaTestApp> {
  process.env.NATS_URL = infra.natsUrl;
  process.env.DATABASE_URL = infra.databaseUrl;
  process.env.LOG_LEVEL = 'error';
  const app = await NestFactory.createApplicationContext(QuotaModule.forRoot(options), {
    logger: false,
  });
  await app.init();
  const nc = await connectNats({ url: infra.natsUrl, name: 'quota-test-client' });
  return {
    app,
    runtime: app.get(ServiceRuntime),
    nc,
    send: (name, payload) =>
      request(nc, `cmd.quota.${name}`, { commandId: randomUUID(), actor: 'test', ...payload }),
    ask: (name, payload) => request(nc, `qry.quota.${name}`, payload),
    async close() {
      await nc.close();
      await app.close();
    },
  };
}

/** The data of a successful reply, or a failure naming the error. */
export function ok<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply.error)}`);
  return reply.data;
}
