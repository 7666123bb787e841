import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { streamIdOf } from '@rcp/persistence';
import { STREAMS, type EventEnvelope } from '@rcp/contracts';
import { eventually, readStream, startTestInfra, type TestInfra } from '@rcp/testing';
import { tenantDecider } from '../src/domain/tenant/tenant.decide';
import { tenantRef } from '../src/adapters/accounts/account-store';
import { initialQuotaAccount } from '../src/domain/quota-account/quota-account';
import { guardedWriteAndCommit } from '../src/adapters/accounts/batch-write';
import { GrantBatch } from '../src/adapters/accounts/grant-batch';
import type { GrantCommand } from '../src/adapters/accounts/grant-batcher';
import { grantItem, readKeysOf } from '../src/adapters/accounts/grant-item';
import {
  GuardedWriter,
  PrecedingWriteFailedError,
  WRITER_SESSION,
} from '../src/adapters/accounts/guarded-writer';
import { QUOTA_CONTEXT, type QuotaContext } from '../src/adapters/quota-context';
import { startQuotaApp, type QuotaTestApp } from './quota-app';

/**
 * Two replicas in one process, each driven through its own GrantBatcher: what one writes makes
 * the other's cached account stale, and the stale decision must never be the one written.
 */
describe('grants decided from the cache while another replica writes', () => {
  let infra: TestInfra;
  let a: QuotaTestApp;
  let b: QuotaTestApp;
  const now = new Date('2030-05-10T10:00:00Z');
  const meter = 'ai_evaluation';

  beforeAll(async () => {
    infra = await startTestInfra('quota_grant_cache');
    const options = {
      clock: () => now,
      config: { limits: { ai_evaluation: { free: 20, pro: 500, enterprise: 5000 } } },
    };
    a = await startQuotaApp(infra, options);
    b = await startQuotaApp(infra, options);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await infra?.stop();
  });

  const quotaOf = (app: QuotaTestApp) => app.app.get<QuotaContext>(QUOTA_CONTEXT);
  const grantCommand = (tenantId: string, idempotencyKey: string, units = 1): GrantCommand => ({
    commandId: randomUUID(),
    actor: 'test',
    tenantId,
    meter,
    units,
    idempotencyKey,
  });
  const reserve = (app: QuotaTestApp, tenantId: string, key: string, units = 1) =>
    quotaOf(app).grants.grant('ReserveQuota', grantCommand(tenantId, key, units));
  const remaining = (granted: unknown) =>
    'granted' in (granted as object)
      ? (granted as { granted: { remaining: number } }).granted.remaining
      : `refused, ${(granted as { refused: { remaining: number } }).refused.remaining} left`;
  const cached = (app: QuotaTestApp, tenantId: string) =>
    quotaOf(app).grants.cache.covers({
      account: `QuotaAccount-${tenantId}/${meter}/2030-05`,
      settings: [streamIdOf(tenantRef(tenantId)), `QuotaAccount-${tenantId}/${meter}`],
    });

  it('re-reads an account another replica granted on, and never grants past the limit', async () => {
    expect(remaining(await reserve(a, 'shared', 'a-1'))).toBe(19);
    expect(cached(a, 'shared')).toBe(true);
    expect(remaining(await reserve(a, 'shared', 'a-2'))).toBe(18);
    for (let i = 0; i < 15; i++) await reserve(b, 'shared', `b-${i}`);
    // a's cache still says 18 left; 3 are.
    expect(remaining(await reserve(a, 'shared', 'a-3', 5))).toBe('refused, 3 left');
    expect(remaining(await reserve(a, 'shared', 'a-4', 3))).toBe(0);
    const rows = await a.runtime.db.query<{ v: number; type: string; units: number }>(
      `SELECT stream_version AS v, type, (data->>'units')::int AS units FROM events
        WHERE stream_id = 'QuotaAccount-shared/ai_evaluation/2030-05' ORDER BY stream_version`,
    );
    expect(rows.map((r) => r.v)).toEqual(rows.map((_, i) => i + 1));
    const reserved = rows.filter((r) => r.type === 'QuotaReserved');
    expect(reserved.reduce((sum, r) => sum + r.units, 0)).toBe(20);
  });

  it('applies a tier another replica set at once', async () => {
    expect(remaining(await reserve(a, 'tiered', 'before'))).toBe(19);
    expect(cached(a, 'tiered')).toBe(true);
    const setTier = { commandId: randomUUID(), actor: 'test', tenantId: 'tiered', tier: 'pro' };
    await b.runtime.executor.handle('SetTier', setTier, (s) =>
      s.decide(
        tenantRef('tiered'),
        tenantDecider,
        { type: 'SetTier', tenantId: 'tiered', tier: 'pro', now },
        () => null,
      ),
    );
    expect(remaining(await reserve(a, 'tiered', 'after'))).toBe(498);
  });

  it('takes a commit of its own process into account and goes on caching the account', async () => {
    const first = await reserve(a, 'local', 'k-1', 5);
    const { reservationId } = (first as { granted: { reservationId: string } }).granted;
    expect(cached(a, 'local')).toBe(true);
    const commit = { commandId: randomUUID(), actor: 'test', reservationId, units: 2 };
    await a.runtime.executor.handle('CommitReservation', commit, (s) =>
      quotaOf(a).accounts.commit(s, reservationId, 2),
    );
    expect(cached(a, 'local')).toBe(false);
    expect(remaining(await reserve(a, 'local', 'k-2'))).toBe(17);
    expect(cached(a, 'local')).toBe(true);
    expect(remaining(await reserve(a, 'local', 'k-3'))).toBe(16);
  });

  it('replies the stored reply to a commandId the other replica already decided', async () => {
    const command = grantCommand('repeat', 'once', 2);
    await reserve(a, 'repeat', 'warm-up');
    const first = await quotaOf(b).grants.grant('ReserveQuota', command);
    const again = await quotaOf(a).grants.grant('ReserveQuota', command);
    expect(again).toEqual(first);
    const [{ count }] = await a.runtime.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM events WHERE stream_id = 'QuotaAccount-repeat/ai_evaluation/2030-05'`,
    );
    expect(count).toBe(2);
  });

  it('publishes a batched grant with the envelope, metadata and headers of any other event', async () => {
    const command = { ...grantCommand('envelope', "it's \\ quoted"), actor: 'envelope-test' };
    const granted = await quotaOf(a).grants.grant('ReserveQuota', command);
    const published = async () => {
      const messages = await readStream<EventEnvelope>(
        a.nc,
        STREAMS.events,
        'events.quota.QuotaReserved.>',
      );
      const found = messages.find(
        (m) => (m.data.data as { tenantId: string }).tenantId === 'envelope',
      );
      if (!found) throw new Error('not published yet');
      return found;
    };
    const { data: envelope, headers } = await eventually(published, 10_000);
    const [row] = await a.runtime.db.query<{ metadata: object; occurred_at: Date }>(
      'SELECT metadata, occurred_at FROM events WHERE event_id = $1',
      [envelope.id],
    );
    expect(envelope).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'QuotaReserved',
      version: 1,
      occurredAt: row.occurred_at.toISOString(),
      source: 'quota',
      aggregate: { type: 'QuotaAccount', id: 'envelope/ai_evaluation/2030-05', version: 1 },
      correlationId: command.commandId,
      causationId: command.commandId,
      actor: 'envelope-test',
      data: expect.objectContaining({
        tenantId: 'envelope',
        idempotencyKey: "it's \\ quoted",
        reservationId: (granted as { granted: { reservationId: string } }).granted.reservationId,
      }),
    });
    expect(row.metadata).toEqual({
      correlationId: command.commandId,
      causationId: command.commandId,
      actor: 'envelope-test',
    });
    expect(headers).toMatchObject({ 'Rcp-Event-Type': 'QuotaReserved', 'Rcp-Event-Version': '1' });
    expect(headers['Nats-Msg-Id']).toBe(envelope.id);
  });

  /** One grant decided from the cache: its account at `accountVersion`, its settings never set. */
  function decided(command: GrantCommand, accountVersion = 0) {
    const item = grantItem('ReserveQuota', command);
    const keys = readKeysOf([item], now);
    const versions = new Map([...keys.accountStreams, ...keys.settingStreams].map((s) => [s, 0]));
    const accounts = new Map(
      keys.accountStreams.map((id) => [
        id,
        { version: accountVersion, snapshotVersion: 0, state: initialQuotaAccount, tail: [] },
      ]),
    );
    for (const id of keys.accountStreams) versions.set(id, accountVersion);
    const read = { seen: new Map(), settings: new Map(), accounts, grants: new Map() };
    const batch = new GrantBatch(read, quotaOf(a).config, { now, occurredAt: now });
    batch.decide(item);
    return { guard: { keys, versions }, write: batch.finish() };
  }

  async function writeFresh(client: PoolClient, command: GrantCommand, accountVersion = 0) {
    const { guard, write } = decided(command, accountVersion);
    return guardedWriteAndCommit(client, guard, write);
  }

  const eventsOf = async (tenantId: string) =>
    (
      await a.runtime.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM events WHERE stream_id = $1`,
        [`QuotaAccount-${tenantId}/${meter}/2030-05`],
      )
    )[0].count;

  it('writes nothing for a stored commandId, or on an account another writer moved', async () => {
    const client = await a.runtime.db.pool.connect();
    try {
      const first = grantCommand('guarded-1', 'k-1');
      expect(await writeFresh(client, first)).toBe(true);
      // The same commandId on another account: processed_commands' key refuses it.
      const reused = { ...grantCommand('guarded-2', 'k-2'), commandId: first.commandId };
      await expect(writeFresh(client, reused)).rejects.toMatchObject({ code: '23505' });
      // Decided on version 0 of an account now at 1: its first event takes version 1 again.
      await expect(writeFresh(client, grantCommand('guarded-1', 'k-3'))).rejects.toMatchObject({
        code: '23505',
      });
      expect([await eventsOf('guarded-1'), await eventsOf('guarded-2')]).toEqual([1, 0]);
      // The same decision on the account as it stands is written.
      expect(await writeFresh(client, grantCommand('guarded-1', 'k-3'), 1)).toBe(true);
      expect(await eventsOf('guarded-1')).toBe(2);
    } finally {
      client.release();
    }
  });

  it('writes no batch decided on the state of one queued before it that was not written', async () => {
    const client = await a.runtime.db.pool.connect();
    try {
      // Another writer appends one event to the account: it stands at version 1.
      expect(await writeFresh(client, grantCommand('queued', 'theirs'))).toBe(true);
    } finally {
      client.release();
    }
    const writer = new GuardedWriter(a.runtime.db.pool);
    const queue = (key: string, accountVersion: number) => {
      const { guard, write } = decided(grantCommand('queued', key), accountVersion);
      return writer.write(guard, write);
    };
    // First: decided on version 0 (stale), so it fails. Second: decided on the state the first
    // would leave, version 1 — the version the account has, but not the state it was decided on.
    const first = queue('ours-1', 0);
    const second = queue('ours-2', 1);
    await expect(first).rejects.toMatchObject({ code: '23505' });
    await expect(second).rejects.toBeInstanceOf(PrecedingWriteFailedError);
    expect(await eventsOf('queued')).toBe(1);
    // Once nothing is in flight, the next write stands on its own.
    expect(await queue('ours-3', 1)).toBe(true);
    expect(await eventsOf('queued')).toBe(2);
  });

  it('plans the guarded write once, reading every table by index whatever its size', async () => {
    const client = await a.runtime.db.pool.connect();
    const plans: string[] = [];
    client.on('notice', (notice) => plans.push(notice.message ?? ''));
    try {
      await client.query(
        `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_level = notice; ${WRITER_SESSION}`,
      );
      expect(await writeFresh(client, grantCommand('planned', 'plan-1'))).toBe(true);
      const plan = plans.find((p) => p.includes('INSERT INTO events')) ?? '';
      expect(plan).toContain('Index Scan using idx_events_quota_grant_key');
      expect(plan).toContain('Index Only Scan Backward using events_stream_version_uq');
      expect(plan).not.toContain('Seq Scan');
    } finally {
      client.release(true); // the session loaded auto_explain: do not hand it back to the pool
    }
  });
});
