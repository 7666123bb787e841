import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  FakePlacesServer,
  fakePlace,
  googleError,
} from '../apps/discovery/test/fixtures/fake-places.server';
import { consistencyChecks } from '../tools/chaos/src/checks';
import { startRoleDatabase, type RoleDatabase } from '../tools/chaos/src/role-database';
import { startRollout, waitCompleted } from '../tools/chaos/src/rollout';
import { startSecuredNats, type SecuredNats } from '../tools/chaos/src/secured-nats';
import { ALL_SERVICES } from '../tools/chaos/src/service-process';
import { takeSnapshot } from '../tools/chaos/src/snapshot';
import { startSystem, type RunningSystem } from '../tools/chaos/src/system';

const API_KEY = 'AIzaSyFAKE-chaos-secret-7f3e9b21d4c8a6';

/** Google Places stand-in: a few places per search, details, and now and then a 500 or a 403. */
const places = new FakePlacesServer((request, index) => {
  if (index % 9 === 4) return { status: 500, body: googleError(500, 'backend error') };
  if (index % 13 === 6)
    return { status: 403, body: googleError(403, 'The caller does not have permission') };
  if (request.path.includes(':search'))
    return {
      status: 200,
      body: {
        places: [0, 1, 2].map((i) =>
          fakePlace(`p${index}x${i}`, { website: 'http://127.0.0.1:9/x' }),
        ),
      },
    };
  return { status: 200, body: fakePlace(request.path.split('/').pop() ?? 'x') };
});

async function expectRefused(work: Promise<unknown>, pattern: RegExp): Promise<void> {
  await expect(work).rejects.toThrow(pattern);
}

describe('least privilege: a NATS user and a PostgreSQL role per service', () => {
  let nats: SecuredNats;
  let db: RoleDatabase;
  let system: RunningSystem;
  let asDiscovery: NatsConnection;

  beforeAll(async () => {
    await places.start();
    nats = await startSecuredNats('lp');
    db = await startRoleDatabase('lp');
    const serviceEnv: Record<string, Record<string, string>> = Object.fromEntries(
      ALL_SERVICES.map((s) => [
        s.token,
        {
          NATS_USER: s.token,
          NATS_PASSWORD: nats.passwords[s.token],
          DATABASE_URL: db.urlFor(s.token),
        },
      ]),
    );
    serviceEnv.discovery = {
      ...serviceEnv.discovery,
      PLACES_PROVIDER: 'google',
      GOOGLE_PLACES_API_KEY: API_KEY,
      GOOGLE_PLACES_BASE_URL: places.url,
      GOOGLE_PLACES_RETRY_BASE_MS: '10',
      LOG_LEVEL: 'debug',
    };
    system = await startSystem({
      label: 'lp',
      nats,
      pg: db,
      serviceEnv,
      driverUser: { user: 'admin', pass: nats.passwords.admin },
    });
    asDiscovery = await connect({
      servers: nats.url,
      user: 'discovery',
      pass: nats.passwords.discovery,
    });
  }, 120_000);

  afterAll(async () => {
    await asDiscovery?.close();
    await system?.stop();
    await places.stop();
  });

  it('runs a rollout with every service under its own user and role (Google provider on a local fake)', async () => {
    const id = await startRollout(system.nc, {
      stateCode: 'DE',
      communities: 3,
      seed: 'lp',
      batchSize: 3,
    });
    await waitCompleted(system.nc, id, 90_000);
    const snapshot = await takeSnapshot(system.nc, db.adminUrl, id, 'DE');
    expect(consistencyChecks(snapshot).filter((c) => !c.ok)).toEqual([]);
    expect(places.requests.length).toBeGreaterThan(10);
    expect(places.requests.every((r) => r.headers['x-goog-api-key'] === API_KEY)).toBe(true);
    expect(system.processes.filter((p) => !p.alive).map((p) => p.name)).toEqual([]);
    expect(
      nats
        .output()
        .split('\n')
        .filter((l) => /violation/i.test(l)),
    ).toEqual([]);
  }, 120_000);

  it('never writes the Places API key to any log', () => {
    const logs = system.processes.map((p) => p.output()).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.includes(API_KEY)).toBe(false);
    expect(logs.includes(API_KEY.slice(8))).toBe(false);
  });

  it("refuses discovery's publish of an orchestrator event", async () => {
    await expectRefused(
      jetstream(asDiscovery).publish('events.orchestrator.StateRolloutStarted.TX', '{}', {
        timeout: 3_000,
      }),
      /permission/i,
    );
  });

  it("refuses discovery's subscription to orchestrator commands", async () => {
    const sub = asDiscovery.subscribe('cmd.orchestrator.>');
    const iterate = (async () => {
      for await (const _ of sub) return 'message';
      return 'closed';
    })();
    await expectRefused(iterate, /permission/i);
  });

  it("refuses a read of another service's schema", async () => {
    const pg = new Client({ connectionString: db.urlFor('discovery') });
    await pg.connect();
    try {
      await expect(pg.query('SELECT count(*) FROM discovery.businesses')).resolves.toBeTruthy();
      await expect(pg.query('SELECT * FROM orchestrator.state_rollouts')).rejects.toThrow(
        /permission denied/,
      );
      await expect(pg.query('SELECT * FROM ledger.rollout_api_usage')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await pg.end();
    }
  });
});
