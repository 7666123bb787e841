import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startNatsServer, withDatabase, type NatsServerHandle } from '@rcp/infra';

/** A private nats-server and a fresh database for one test file. */
export interface TestInfra {
  natsUrl: string;
  databaseUrl: string;
  databaseName: string;
  nats: NatsServerHandle;
  /** Restarts nats-server on the same port and store (JetStream data survives). */
  restartNats(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server test and benchmark databases are created on: the one Jest's global setup
 * chose, else TEST_DATABASE_URL / DATABASE_URL, else the local server on 5432.
 */
export function adminUrl(): string {
  return (
    process.env.RCP_TEST_PG_ADMIN_URL ||
    process.env.TEST_DATABASE_URL ||
    process.env.DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

export async function startTestInfra(label: string): Promise<TestInfra> {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), `rcp-nats-${label}-`));
  const binary = process.env.RCP_NATS_SERVER_BIN;
  let nats = await startNatsServer({ storeDir, binary });
  const databaseName = `rcp_t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${databaseName}`);
  return {
    get natsUrl() {
      return nats.url;
    },
    get nats() {
      return nats;
    },
    databaseUrl: withDatabase(adminUrl(), databaseName),
    databaseName,
    async restartNats() {
      const port = nats.port;
      await nats.stop();
      nats = await startNatsServer({ storeDir, binary, port });
    },
    async stop() {
      await nats.stop();
      await adminQuery(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/** Runs one statement on the admin database (CREATE / DROP DATABASE for scratch databases). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
