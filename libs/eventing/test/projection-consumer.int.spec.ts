import { jetstream } from '@nats-io/jetstream';
import { STREAMS, type DeadLetter, type EventEnvelope } from '@rcp/contracts';
import { connectNats, type NatsConnection } from '@rcp/messaging';
import {
  eventually,
  readStream,
  spawnDist,
  startTestInfra,
  tableHash,
  type NodeProcess,
  type TestInfra,
} from '@rcp/testing';
import { waitUntilCaughtUp, type ServiceRuntime } from '../src';
import { expectedTotals, publishTallyEvents, tallyEvents } from './fixtures/tally.events';
import { tallyFragile, tallyLedger, tallyTotals } from './fixtures/tally.projections';
import { openTallyRuntime } from './fixtures/tally.runtime';

const SERVICE = 'libs/eventing/test/fixtures/tally-service.js';

describe('projection consumers: exactly-once effect', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  const runtimes: ServiceRuntime[] = [];
  const children: NodeProcess[] = [];

  beforeAll(async () => {
    infra = await startTestInfra('consumer');
    nc = await connectNats({ url: infra.natsUrl, name: 'test-client' });
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    for (const r of runtimes) await r.stop();
    await nc?.close();
    await infra?.stop();
  });

  const open = async (
    schema: string,
    ...projections: Parameters<typeof openTallyRuntime>[0]['projections'] & object
  ) => {
    const runtime = await openTallyRuntime({ ...infra, schema, projections });
    runtimes.push(runtime);
    await runtime.start();
    return runtime;
  };
  const child = async (schema: string, env: Record<string, string>) => {
    const proc = spawnDist(SERVICE, {
      NATS_URL: infra.natsUrl,
      DATABASE_URL: infra.databaseUrl,
      DB_SCHEMA: schema,
      TALLY_PROJECTIONS: 'totals',
      RCP_ACK_WAIT_MS: '1000',
      ...env,
    });
    children.push(proc);
    return proc;
  };
  const totalsOf = async (runtime: ServiceRuntime) =>
    new Map(
      (
        await runtime.db.query<{ tally_id: string; total: string; increments: number }>(
          'SELECT tally_id, total, increments FROM tally_totals',
        )
      ).map((r) => [r.tally_id, { total: Number(r.total), increments: r.increments }]),
    );

  it('changes the projection once when the same event is republished after the dedupe window', async () => {
    const runtime = await open('dup', tallyTotals({ name: 'dup', state: 'AL' }));
    const events = tallyEvents(40, { seed: 1 });
    await publishTallyEvents(nc, 'AL', events);
    await publishTallyEvents(nc, 'AL', events.slice(0, 15), (e) => `${e.id}:republished`);
    await runtime.waitForProjections();
    expect(await totalsOf(runtime)).toEqual(expectedTotals(events));
    const [checkpoint] = await runtime.db.query(
      'SELECT events_applied::int AS n FROM consumer_checkpoints',
    );
    expect(checkpoint.n).toBe(40);
  });

  it('leaves repeats to a projection that opts out of the inbox (inbox: false), and writes no inbox rows', async () => {
    const runtime = await open('own_ids', tallyLedger({ name: 'own-ids', state: 'AR' }));
    const events = tallyEvents(30, { seed: 7 });
    await publishTallyEvents(nc, 'AR', events);
    await publishTallyEvents(nc, 'AR', events.slice(0, 10), (e) => `${e.id}:again`);
    await runtime.waitForProjections();
    const [rows] = await runtime.db.query<{ n: number; sum: number }>(
      'SELECT count(*)::int AS n, sum(amount)::int AS sum FROM tally_fragile',
    );
    const amounts = events.map((e) => (e.data as { amount: number }).amount);
    expect(rows).toEqual({ n: 30, sum: amounts.reduce((a, b) => a + b, 0) });
    const [inbox] = await runtime.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM processed_events',
    );
    expect(inbox.n).toBe(0);
  });

  it.each([
    ['before it acks a committed batch (redelivery)', 'consumer.before-ack@2', 'AK'],
    ['in the middle of a batch, before its commit', 'consumer.before-commit@3', 'AZ'],
  ])(
    'ends with the undisturbed projection when the consumer is SIGKILLed %s',
    async (_when, fault, state) => {
      const schema = `crash_${state.toLowerCase()}`;
      const events = tallyEvents(600, { seed: state.charCodeAt(1) });
      const reference = await open(
        `ref_${state.toLowerCase()}`,
        tallyTotals({ name: `ref-${state}`, state }),
      );
      await publishTallyEvents(nc, state, events);

      const crashing = await child(schema, {
        TALLY_NAME: `crash-${state}`,
        TALLY_STATE: state,
        TALLY_BATCH: '50',
        RCP_FAULT: fault,
      });
      expect((await crashing.exited).signal).toBe('SIGKILL');
      const restarted = await child(schema, {
        TALLY_NAME: `crash-${state}`,
        TALLY_STATE: state,
        TALLY_BATCH: '50',
      });
      await restarted.waitForOutput(/tally ready/);
      await waitUntilCaughtUp(nc, `quota-crash-${state}`);
      await reference.waitForProjections();

      const crashed = await tableHash(reference.db, `${schema}.tally_totals`, 'tally_id');
      const undisturbed = await tableHash(reference.db, 'tally_totals', 'tally_id');
      expect(crashed).toEqual(undisturbed);
      expect(await totalsOf(reference)).toEqual(expectedTotals(events));
      await restarted.stop();
    },
  );

  it('dead-letters an event whose handler always throws, with its error, and goes on with later events', async () => {
    const runtime = await open('fragile', tallyFragile({ name: 'fragile', state: 'DE' }));
    const events = tallyEvents(3, { amounts: [5, 13, 7] });
    await publishTallyEvents(nc, 'DE', events);
    await jetstream(nc).publish('events.quota.TallyIncremented.DE', 'this is not an envelope');
    await publishTallyEvents(nc, 'DE', tallyEvents(1, { amounts: [21] }));

    const letters = await eventually(async () => {
      const found = await readStream<DeadLetter>(nc, STREAMS.deadLetters, 'dlq.quota.fragile');
      expect(found).toHaveLength(2);
      return found.map((m) => m.data);
    });
    const poisoned = letters.find((l) => l.envelope)!;
    expect(poisoned).toMatchObject({
      consumer: 'fragile',
      service: 'quota',
      deliveryCount: 3,
      error: { message: 'unlucky amount 13' },
    });
    expect((poisoned.envelope as EventEnvelope<{ amount: number }>).data.amount).toBe(13);
    const garbage = letters.find((l) => !l.envelope)!;
    expect(garbage.raw).toBe('this is not an envelope');
    expect(garbage.error.message).toMatch(/JSON/);

    await runtime.waitForProjections();
    const rows = await runtime.db.query<{ amount: number }>(
      'SELECT amount FROM tally_fragile ORDER BY amount',
    );
    expect(rows.map((r) => r.amount)).toEqual([5, 7, 21]);
  });

  it('applies whole batches through applyBatch, once per event, duplicates included', async () => {
    const batches: number[] = [];
    const batched = tallyTotals({ name: 'batched', state: 'GA' });
    const runtime = await open('batched', {
      ...batched,
      async applyBatch(events, tx) {
        batches.push(events.length);
        for (const { event, delivery } of events) await batched.apply(event, tx, delivery);
      },
    });
    const events = tallyEvents(400, { seed: 9 });
    await publishTallyEvents(nc, 'GA', events);
    await publishTallyEvents(nc, 'GA', events.slice(0, 50), (e) => `${e.id}:again`);
    await runtime.waitForProjections();
    expect(await totalsOf(runtime)).toEqual(expectedTotals(events));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(400);
    expect(batches.length).toBeLessThan(400);
  });

  it('rebuilds a dropped projection from the stream to the same rows', async () => {
    const runtime = await open('rebuild', tallyTotals({ name: 'rebuild', state: 'CO' }));
    await publishTallyEvents(nc, 'CO', tallyEvents(250, { seed: 42, tallies: 25 }));
    await runtime.waitForProjections();
    const before = await tableHash(runtime.db, 'tally_totals', 'tally_id');
    await runtime.db.query('DROP TABLE tally_totals');
    await runtime.db.query(
      'CREATE TABLE tally_totals (tally_id uuid PRIMARY KEY, total bigint NOT NULL, increments int NOT NULL)',
    );
    await runtime.rebuild();
    const after = await tableHash(runtime.db, 'tally_totals', 'tally_id');
    expect(after).toEqual(before);
    expect(after.rows).toBe(25);
  });
});
