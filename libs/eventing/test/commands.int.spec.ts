import { randomUUID } from 'node:crypto';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { startTestInfra, type TestInfra } from '@rcp/testing';
import type { ServiceRuntime } from '../src';
import { openTallyRuntime } from './fixtures/tally.runtime';

const SUBJECT = 'cmd.quota.AddToTally';

describe('commands over NATS request/reply', () => {
  let infra: TestInfra;
  let runtime: ServiceRuntime;
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra('commands');
    runtime = await openTallyRuntime(infra);
    await runtime.start();
    nc = await connectNats({ url: infra.natsUrl, name: 'test-client' });
  });

  afterAll(async () => {
    await nc?.close();
    await runtime?.stop();
    await infra?.stop();
  });

  const add = (overrides: Record<string, unknown> = {}) => ({
    commandId: randomUUID(),
    actor: 'test',
    tallyId: randomUUID(),
    amount: 5,
    ...overrides,
  });
  const raw = async (subject: string, body: string) =>
    (await nc.request(subject, body, { timeout: 5000 })).json<Record<string, any>>();

  it.each([
    ['a wrong type', add({ amount: 'five' }), 'amount'],
    ['a missing field', (({ tallyId: _omit, ...rest }) => rest)(add()), 'tallyId'],
    ['an unknown field', add({ colour: 'red' }), 'colour'],
    ['a malformed commandId', add({ commandId: 'not-a-uuid' }), 'commandId'],
    ['a NUL character in a string', add({ actor: 'ops\u0000' }), 'actor'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_case, payload, field) => {
    const reply = await request(nc, SUBJECT, payload);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('VALIDATION_FAILED');
    expect(reply.error.details.map((d) => d.field)).toContain(field);
  });

  it.each([
    ['bytes that are not JSON', '\u0000\u00ff{not json'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"hello"'],
  ])('refuses %s with VALIDATION_FAILED and keeps serving', async (_case, body) => {
    const reply = await raw(SUBJECT, body);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(reply.error.details.length).toBeGreaterThan(0);
    expect(await request(nc, 'qry.quota.Health', {})).toEqual({
      ok: true,
      data: { service: 'quota', status: 'ok', version: 'test' },
    });
  });

  it('answers an unknown subject with UNKNOWN_COMMAND', async () => {
    expect(await raw('cmd.quota.Frobnicate', '{}')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_COMMAND' },
    });
  });

  it('applies one commandId once and replies the same every time', async () => {
    const payload = add({ amount: 7 });
    const first = await request(nc, SUBJECT, payload);
    const again = await Promise.all([1, 2, 3].map(() => request(nc, SUBJECT, payload)));
    expect(first).toEqual({ ok: true, data: { tallyId: payload.tallyId, total: 7 } });
    for (const reply of again) expect(reply).toEqual(first);
    const rows = await runtime.db.query(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
      [`Tally-${payload.tallyId}`],
    );
    expect(rows[0].n).toBe(1);
  });

  it('applies concurrent duplicates of one commandId once', async () => {
    const payload = add({ amount: 3 });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => request(nc, SUBJECT, payload)),
    );
    for (const reply of replies)
      expect(reply).toEqual({ ok: true, data: { tallyId: payload.tallyId, total: 3 } });
    const rows = await runtime.db.query(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
      [`Tally-${payload.tallyId}`],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses a reused commandId with a different payload', async () => {
    const payload = add();
    await request(nc, SUBJECT, payload);
    const reply = await request(nc, SUBJECT, { ...payload, amount: 9 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
  });

  it('replays a refusal for the same commandId', async () => {
    const tallyId = randomUUID();
    for (let i = 0; i < 10; i++) {
      const reply = await request(nc, SUBJECT, add({ tallyId, amount: 1000 }));
      if (!reply.ok) throw new Error(JSON.stringify(reply));
    }
    const payload = add({ tallyId, amount: 1 });
    const refused = await request(nc, SUBJECT, payload);
    expect(refused).toMatchObject({ ok: false, error: { code: 'TALLY_FULL' } });
    expect(await request(nc, SUBJECT, payload)).toEqual(refused);
  });

  it('lets concurrent writers on one tally retry: every write lands once, in sequence', async () => {
    const tallyId = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => request(nc, SUBJECT, add({ tallyId, amount: 2 }))),
    );
    const totals = replies
      .map((r) => (r.ok ? (r.data as { total: number }).total : -1))
      .sort((a, b) => a - b);
    expect(totals).toEqual(Array.from({ length: 8 }, (_, i) => 2 * (i + 1)));
  });

  it('gives writers that keep losing a CONCURRENCY_CONFLICT, and loses no accepted write', async () => {
    const tallyId = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 40 }, () => request(nc, SUBJECT, add({ tallyId, amount: 1 }))),
    );
    const accepted = replies.filter((r) => r.ok);
    for (const reply of replies)
      if (!reply.ok) expect(reply.error.code).toBe('CONCURRENCY_CONFLICT');
    const [{ n }] = await runtime.db.query(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
      [`Tally-${tallyId}`],
    );
    expect(n).toBe(accepted.length);
    expect(accepted.length).toBeGreaterThan(0);
  });
});
