import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from './free-port';
import { resolveInfrastructure, type Infrastructure } from './infrastructure';
import { isJetStreamReady, isNatsReachable } from './nats-readiness';
import { isPostgresReachable } from './postgres-admin';

describe('resolveInfrastructure', () => {
  let dataDir: string;
  let embedded: Infrastructure;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'rcp-infra-'));
    await chmod(dataDir, 0o755);
    const env = {
      RCP_NATS_PORT: String(await findFreePort()),
      RCP_PG_PORT: String(await findFreePort()),
    };
    embedded = await resolveInfrastructure({ dataDir, env });
  });

  afterAll(async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts nats-server and PostgreSQL with a rollout database when nothing is configured', async () => {
    expect(embedded.embedded).toEqual({ nats: true, postgres: true });
    await expect(isJetStreamReady(embedded.natsUrl)).resolves.toBe(true);
    expect(new URL(embedded.databaseUrl).pathname).toBe('/rollout');
    await expect(isPostgresReachable(embedded.databaseUrl)).resolves.toBe(true);
  });

  it('uses NATS_URL and DATABASE_URL when set, and leaves them running on stop', async () => {
    const env = { NATS_URL: embedded.natsUrl, DATABASE_URL: embedded.databaseUrl };
    const given = await resolveInfrastructure({ dataDir: path.join(dataDir, 'unused'), env });

    expect(given).toMatchObject({
      ...{ natsUrl: env.NATS_URL, databaseUrl: env.DATABASE_URL },
      embedded: { nats: false, postgres: false },
    });
    await given.stop();
    await expect(isNatsReachable(embedded.natsUrl)).resolves.toBe(true);
    await expect(isPostgresReachable(embedded.databaseUrl)).resolves.toBe(true);
  });

  it('refuses a NATS_URL where nothing answers, naming it', async () => {
    const env = { NATS_URL: `nats://127.0.0.1:${await findFreePort()}` };
    await expect(resolveInfrastructure({ dataDir, env })).rejects.toThrow(
      `NATS_URL is set to ${env.NATS_URL}`,
    );
  });
});
