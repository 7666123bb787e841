// Jest loads this file outside its module map, so it imports by relative path.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- Jest loads global setup without the alias map
import {
  ensureNatsServerBinary,
  isPostgresReachable,
  startEmbeddedPostgres,
  type PostgresHandle,
} from '../../../infra/src';

const root = path.resolve(__dirname, '../../../..');
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Once per test run: compile dist/ (child-process tests run it), find nats-server (each test
 * file starts its own), and pick the PostgreSQL server that test databases are created on —
 * TEST_DATABASE_URL, DATABASE_URL, a local server on 5432, or an embedded one.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [path.join(root, 'tools/build.mjs')], { stdio: 'inherit' });
  process.env.RCP_NATS_SERVER_BIN = await ensureNatsServerBinary();
  process.env.RCP_TEST_PG_ADMIN_URL = await resolveAdminUrl();
}

async function resolveAdminUrl(): Promise<string> {
  for (const url of [process.env.TEST_DATABASE_URL, process.env.DATABASE_URL, LOCAL_POSTGRES]) {
    if (url && (await isPostgresReachable(url))) return url;
  }
  const handle: PostgresHandle = await startEmbeddedPostgres({
    dataDir: path.join(root, '.data/test-pg'),
    preferredPort: 25432,
    // A throwaway cluster that no test kills (the chaos tests kill their own, durable one).
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '300',
    },
  });
  (globalThis as { __rcpPostgres?: PostgresHandle }).__rcpPostgres = handle;
  return handle.url;
}
