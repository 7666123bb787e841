import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { STREAMS } from '@rcp/contracts';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import {
  eventually,
  readStream,
  spawnDist,
  startTestInfra,
  type NodeProcess,
  type TestInfra,
} from '@rcp/testing';

const SERVICE = 'libs/eventing/test/fixtures/tally-service.js';

describe('outbox relay under SIGKILL', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let pg: Client;
  const running: NodeProcess[] = [];

  beforeAll(async () => {
    infra = await startTestInfra('relay');
    nc = await connectNats({ url: infra.natsUrl, name: 'test-client' });
    pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await pg?.end();
    await nc?.close();
    await infra?.stop();
  });

  const start = async (schema: string, fault?: string) => {
    const proc = spawnDist(SERVICE, {
      NATS_URL: infra.natsUrl,
      DATABASE_URL: infra.databaseUrl,
      DB_SCHEMA: schema,
      RCP_FAULT: fault,
    });
    running.push(proc);
    await proc.waitForOutput(/tally ready/);
    return proc;
  };
  const count = async (sql: string) => Number((await pg.query(sql)).rows[0].n);
  const published = async (eventId: string) =>
    (await readStream(nc, STREAMS.events)).filter((m) => m.headers['Nats-Msg-Id'] === eventId);

  it.each([
    ['after the commit and before the publish', 'relay.before-publish', 0],
    ['after the publish and before the outbox delete', 'relay.after-publish', 1],
  ])(
    'delivers an event exactly once when the relay dies %s',
    async (_when, fault, publishedBeforeRestart) => {
      const schema = `relay_${fault.replace(/[^a-z]/g, '_')}`;
      const crashing = await start(schema, fault);
      const tallyId = randomUUID();
      void request(
        nc,
        'cmd.quota.AddToTally',
        { commandId: randomUUID(), actor: 'test', tallyId, amount: 4, stateCode: 'RI' },
        2_000,
      );
      expect((await crashing.exited).signal).toBe('SIGKILL');

      const [event] = (
        await pg.query(`SELECT event_id FROM ${schema}.events WHERE stream_id = $1`, [
          `Tally-${tallyId}`,
        ])
      ).rows;
      expect(event).toBeDefined();
      expect(await count(`SELECT count(*) AS n FROM ${schema}.outbox`)).toBe(1);
      expect(await published(event.event_id)).toHaveLength(publishedBeforeRestart);

      const restarted = await start(schema);
      await eventually(async () =>
        expect(await count(`SELECT count(*) AS n FROM ${schema}.outbox`)).toBe(0),
      );
      const copies = await published(event.event_id);
      expect(copies).toHaveLength(1);
      expect(copies[0].subject).toBe('events.quota.TallyIncremented.RI');
      expect(copies[0].data).toMatchObject({
        id: event.event_id,
        type: 'TallyIncremented',
        data: { tallyId, amount: 4, total: 4 },
      });
      // Leave the queue group to the next case's process.
      await restarted.stop();
    },
  );
});
