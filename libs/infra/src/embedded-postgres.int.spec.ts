import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';
import { findFreePort } from './free-port';
import { ensureDatabase, isPostgresReachable, withDatabase } from './postgres-admin';

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0]!.one;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rcp-pg-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as the "postgres" user, who must enter it
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('initialises once, answers select 1, restarts on the same data directory, and stops', async () => {
    const dataDir = path.join(root, 'pg');
    const port = await findFreePort();

    const first = await startEmbeddedPostgres({ dataDir, port });
    expect(first.initialised).toBe(true);
    expect(await selectOne(first.url)).toBe(1);
    await ensureDatabase(first.url, 'rollout');
    await ensureDatabase(first.url, 'rollout');
    await first.stop();
    expect(await isPostgresReachable(first.url)).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(second.initialised).toBe(false);
      expect(await selectOne(withDatabase(second.url, 'rollout'))).toBe(1);
    } finally {
      await second.stop();
    }
    expect(await isPostgresReachable(second.url)).toBe(false);
  });
});
