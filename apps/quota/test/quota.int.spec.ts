import { eventually, startTestInfra, tableHash, type TestInfra } from '@rcp/testing';
import { randomUUID } from 'node:crypto';
import { request } from '@rcp/messaging';
import { ok, startQuotaApp, type QuotaTestApp } from './quota-app';

describe('quota accounts on NATS + PostgreSQL', () => {
  let infra: TestInfra;
  let quota: QuotaTestApp;
  let now = new Date('2030-01-31T23:59:00Z');

  beforeAll(async () => {
    infra = await startTestInfra('quota');
    quota = await startQuotaApp(infra, {
      clock: () => now,
      config: { limits: { ai_evaluation: { free: 20, pro: 500, enterprise: 5000 } } },
    });
  });

  afterAll(async () => {
    await quota?.close();
    await infra?.stop();
  });

  const getQuota = (tenantId: string, meter = 'ai_evaluation', month?: string) =>
    quota.ask<Record<string, unknown>>('GetQuota', { tenantId, meter, month });

  it('releases a reservation past its TTL through the durable timer', async () => {
    now = new Date();
    const reserved = ok(
      await quota.send('ReserveQuota', {
        tenantId: 'ttl',
        meter: 'ai_evaluation',
        units: 5,
        idempotencyKey: 'k',
        ttlMs: 300,
      }),
    );
    expect(reserved).toMatchObject({ remaining: 15 });
    const expired = async () =>
      (
        await quota.runtime.db.query(
          `SELECT 1 FROM events WHERE type = 'QuotaReservationExpired' AND data->>'reservationId' = $1`,
          [reserved.reservationId],
        )
      ).length === 1;
    await eventually(expired, 20_000);
    await eventually(
      async () =>
        expect(ok(await getQuota('ttl'))).toMatchObject({ used: 0, reserved: 0, remaining: 20 }),
      20_000,
    );
    const commit = await quota.send('CommitReservation', { reservationId: reserved.reservationId });
    expect(commit).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
  });

  it('commits fewer units than reserved and returns the rest', async () => {
    now = new Date('2030-03-10T10:00:00Z');
    const { reservationId } = ok(
      await quota.send('ReserveQuota', {
        tenantId: 'partial',
        meter: 'ai_evaluation',
        units: 6,
        idempotencyKey: 'p',
      }),
    );
    const commit = ok(await quota.send('CommitReservation', { reservationId, units: 2 }));
    expect(commit).toEqual({ reservationId, committed: 2, released: 4, remaining: 18 });
    await eventually(async () =>
      expect(ok(await getQuota('partial'))).toMatchObject({
        used: 2,
        reserved: 0,
        remaining: 18,
        month: '2030-03',
      }),
    );
  });

  it('grants one idempotency key once and replies the same, even to other commandIds', async () => {
    now = new Date('2030-03-10T10:00:00Z');
    const payload = {
      tenantId: 'idem',
      meter: 'ai_evaluation',
      units: 3,
      idempotencyKey: 'call-1',
    };
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => quota.send('ReserveQuota', payload)),
    );
    const first = ok(replies[0]);
    for (const reply of replies) expect(ok(reply)).toEqual(first);
    expect(first.remaining).toBe(17);
    const conflict = await quota.send('ReserveQuota', { ...payload, units: 4 });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
  });

  it('group-commits concurrent grants: one reply per commandId, one grant per key, a snapshot every 32 events', async () => {
    now = new Date('2030-03-11T10:00:00Z');
    const base = { actor: 'test', tenantId: 'batch', meter: 'ai_evaluation', units: 1 };
    const send = (commandId: string, idempotencyKey: string, units = 1) =>
      request(quota.nc, 'cmd.quota.ReserveQuota', { ...base, commandId, idempotencyKey, units });
    const repeated = randomUUID();
    const replies = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => send(randomUUID(), `k-${i % 4}`)),
      send(repeated, 'k-repeat'),
      send(repeated, 'k-repeat'),
    ]);
    const granted = replies.map((r) => ok(r) as { reservationId: string; remaining: number });
    expect(new Set(granted.map((g) => g.reservationId)).size).toBe(5);
    expect(Math.min(...granted.map((g) => g.remaining))).toBe(15);
    expect(granted[9]).toEqual(granted[8]);
    expect(await send(repeated, 'k-repeat', 2)).toMatchObject({
      ok: false,
      error: { code: 'IDEMPOTENCY_CONFLICT' },
    });
    const snapshotOf = () =>
      quota.runtime.db.query<{ version: number; state: object }>(
        "SELECT version, state FROM quota_account_snapshots WHERE stream_id = 'QuotaAccount-batch/ai_evaluation/2030-03'",
      );
    expect(await snapshotOf()).toEqual([]);
    await Promise.all(Array.from({ length: 30 }, (_, i) => send(randomUUID(), `more-${i}`)));
    const [{ version, state }] = await snapshotOf();
    expect(version).toBeGreaterThanOrEqual(32);
    const [{ reserved }] = await quota.runtime.db.query<{ reserved: number }>(
      `SELECT count(*)::int AS reserved FROM events WHERE stream_id = 'QuotaAccount-batch/ai_evaluation/2030-03'
        AND type = 'QuotaReserved' AND stream_version <= $1`,
      [version],
    );
    expect(state).toEqual({ used: 0, reserved });
    const timers = await quota.runtime.db.query(
      'SELECT 1 FROM timers WHERE timer_id = ANY($1::uuid[])',
      [granted.map((g) => g.reservationId)],
    );
    expect(timers).toHaveLength(5);
  });

  it('refuses past the limit with QUOTA_EXCEEDED, remaining and reset time in the details', async () => {
    now = new Date('2030-03-10T10:00:00Z');
    ok(
      await quota.send('ConsumeQuota', {
        tenantId: 'full',
        meter: 'ai_evaluation',
        units: 19,
        idempotencyKey: 'bulk',
      }),
    );
    const refused = await quota.send('ReserveQuota', {
      tenantId: 'full',
      meter: 'ai_evaluation',
      units: 2,
      idempotencyKey: 'more',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'QUOTA_EXCEEDED',
        details: [
          {
            field: 'units',
            value: { remaining: 1, limit: 20, used: 19, resetsAt: '2030-04-01T00:00:00.000Z' },
          },
        ],
      },
    });
  });

  it('starts a new month at 0, and SetTier mid-month changes the limit but keeps the usage', async () => {
    now = new Date('2030-05-31T23:59:59Z');
    ok(
      await quota.send('ConsumeQuota', {
        tenantId: 'month',
        meter: 'ai_evaluation',
        units: 20,
        idempotencyKey: 'may',
      }),
    );
    expect(
      await quota.send('ConsumeQuota', {
        tenantId: 'month',
        meter: 'ai_evaluation',
        units: 1,
        idempotencyKey: 'may-2',
      }),
    ).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } });
    now = new Date('2030-06-01T00:00:00Z');
    const june = ok(
      await quota.send('ConsumeQuota', {
        tenantId: 'month',
        meter: 'ai_evaluation',
        units: 1,
        idempotencyKey: 'june',
      }),
    );
    expect(june).toMatchObject({ month: '2030-06', remaining: 19 });
    ok(await quota.send('SetTier', { tenantId: 'month', tier: 'pro' }));
    const after = ok(
      await quota.send('ConsumeQuota', {
        tenantId: 'month',
        meter: 'ai_evaluation',
        units: 100,
        idempotencyKey: 'pro',
      }),
    );
    expect(after).toMatchObject({ remaining: 399 });
    await eventually(async () => {
      expect(ok(await getQuota('month'))).toMatchObject({
        tier: 'pro',
        limit: 500,
        used: 101,
        remaining: 399,
        month: '2030-06',
      });
      expect(ok(await getQuota('month', 'ai_evaluation', '2030-05'))).toMatchObject({ used: 20 });
    });
  });

  it('follows an explicit limit, and refuses an unconfigured meter clearly', async () => {
    now = new Date('2030-03-10T10:00:00Z');
    ok(
      await quota.send('SetQuotaLimit', {
        tenantId: 'places',
        meter: 'google_places.custom',
        limit: 2,
      }),
    );
    ok(
      await quota.send('ReserveQuota', {
        tenantId: 'places',
        meter: 'google_places.custom',
        units: 2,
        idempotencyKey: 'a',
      }),
    );
    expect(
      await quota.send('ReserveQuota', {
        tenantId: 'places',
        meter: 'google_places.custom',
        units: 1,
        idempotencyKey: 'b',
      }),
    ).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } });
    expect(
      await quota.send('ReserveQuota', {
        tenantId: 'places',
        meter: 'unknown.meter',
        units: 1,
        idempotencyKey: 'c',
      }),
    ).toMatchObject({ ok: false, error: { code: 'METER_NOT_CONFIGURED' } });
  });

  it('answers bad input with VALIDATION_FAILED naming the field', async () => {
    const reply = await quota.send('ReserveQuota', {
      tenantId: 'x',
      meter: 'Bad Meter',
      units: 0,
      idempotencyKey: 'k',
    });
    expect(reply.ok).toBe(false);
    if (!reply.ok)
      expect(reply.error.details.map((d) => d.field).sort()).toEqual(['meter', 'units']);
    expect(
      await quota.send('CommitReservation', {
        reservationId: '00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('rebuilds its projections from its events to the same rows', async () => {
    await quota.runtime.waitForProjections(30_000);
    const before = await tableHash(quota.runtime.db, 'quota_usage', 'tenant_id, meter, month');
    const tenants = await tableHash(quota.runtime.db, 'quota_tenants', 'tenant_id');
    expect(before.rows).toBeGreaterThan(4);
    await quota.runtime.rebuild();
    await quota.runtime.waitForProjections(30_000);
    expect(await tableHash(quota.runtime.db, 'quota_usage', 'tenant_id, meter, month')).toEqual(
      before,
    );
    expect(await tableHash(quota.runtime.db, 'quota_tenants', 'tenant_id')).toEqual(tenants);
  });
});
