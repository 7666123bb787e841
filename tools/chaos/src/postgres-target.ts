import { randomBytes } from 'node:crypto';
import { readdir, readFile, mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, withDatabase, type PostgresHandle } from '@rcp/infra';

/** The database a system runs on: a fresh database on the shared test server, or a private embedded server. */
export interface PostgresTarget {
  databaseUrl: string;
  /** Admin URL of the server (to create roles, to read every schema). */
  adminUrl: string;
  /** Only for the embedded server: SIGKILL the postmaster and its backends. */
  kill?(): Promise<void>;
  restart?(): Promise<void>;
  stop(): Promise<void>;
}

export function sharedAdminUrl(): string {
  return (
    process.env.RCP_TEST_PG_ADMIN_URL ||
    process.env.TEST_DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

export async function adminQuery(url: string, sql: string, params: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** A fresh database on the shared server (never killed: other engineers' tests use that server). */
export async function freshDatabase(label: string): Promise<PostgresTarget> {
  const admin = sharedAdminUrl();
  const name = `rcp_chaos_${label}_${randomBytes(4).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  return {
    databaseUrl: withDatabase(admin, name),
    adminUrl: withDatabase(admin, name),
    stop: async () =>
      void (await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

// This server is SIGKILLed, not the machine: what a commit wrote to the kernel survives, so
// fsync and full-page writes may be off. synchronous_commit must stay on: with it off a COMMIT
// returns before its WAL leaves PostgreSQL's shared memory, and the kill then undoes commits that
// consumers already acknowledged to JetStream (the events were lost from the ledger that way).
const EMBEDDED_SETTINGS = {
  fsync: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/** Pids whose parent is `pid` (the postmaster's backends and auxiliary processes). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(entry));
  }
  return out;
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A private embedded PostgreSQL in a temp dir, database `rollout`; it can be SIGKILLed and restarted. */
export async function embeddedPostgres(label: string): Promise<PostgresTarget> {
  const base = await mkdtemp(path.join(os.tmpdir(), `rcp-chaos-pg-${label}-`));
  await chmod(base, 0o755);
  const dataDir = path.join(base, 'data');
  let handle: PostgresHandle = await startEmbeddedPostgres({
    dataDir,
    settings: EMBEDDED_SETTINGS,
  });
  const port = handle.port;
  await adminQuery(handle.url, 'CREATE DATABASE rollout');
  const databaseUrl = withDatabase(handle.url, 'rollout');
  return {
    databaseUrl,
    adminUrl: databaseUrl,
    async kill() {
      const backends = await childrenOf(handle.pid);
      sigkill(handle.pid);
      for (const pid of backends) sigkill(pid);
      await handle.stop().catch(() => undefined);
    },
    async restart() {
      handle = await startEmbeddedPostgres({ dataDir, port, settings: EMBEDDED_SETTINGS });
    },
    async stop() {
      await handle.stop().catch(() => undefined);
      await rm(base, { recursive: true, force: true });
    },
  };
}
