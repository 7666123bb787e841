import { randomUUID } from 'node:crypto';
import { STREAMS, type EventEnvelope, type Reply } from '@rcp/contracts';
import type { ServiceRuntime } from '@rcp/eventing';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { eventually, readStream, startTestInfra, tableHash, type TestInfra } from '@rcp/testing';
import { toMicros } from '../src/domain/money/money';
import { parseUsage } from '../src/adapters/projections/api-usage.parse';
import { writeBatch } from '../src/adapters/projections/api-usage.sql';
import { verifyLedger } from '../src/verify';
import { envelope, publish, usage } from './fixtures/ledger-events';
import { openLedger } from './fixtures/ledger-runtime';

describe('cost ledger on NATS JetStream + PostgreSQL', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let ledger: ServiceRuntime;

  beforeAll(async () => {
    infra = await startTestInfra('ledger');
    nc = await connectNats({ url: infra.natsUrl, name: 'ledger-test' });
    ledger = await openLedger(infra);
  });

  afterAll(async () => {
    await ledger?.stop();
    await nc?.close();
    await infra?.stop();
  });

  const ask = async <T>(subject: string, payload: object) => request<T>(nc, subject, payload);
  const ok = async <T>(subject: string, payload: object): Promise<T> => {
    const reply = await ask<T>(subject, payload);
    if (!reply.ok) throw new Error(`${subject}: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  const command = (fields: object) => ({ commandId: randomUUID(), actor: 'ops@test', ...fields });
  const rows = (where: string, params: unknown[] = []) =>
    ledger.db.query<Record<string, string | number>>(
      `SELECT id, price_book_version, free_units, priced_cost::text AS priced_cost FROM rollout_api_usage WHERE ${where} ORDER BY stream_sequence`,
      params,
    );

  it('counts redelivered and republished ApiUsageRecorded events once', async () => {
    const community = randomUUID();
    const events = Array.from({ length: 60 }, () =>
      usage({ communityRolloutId: community, stateCode: 'NM' }),
    );
    await publish(nc, events);
    await publish(nc, events.slice(0, 20), (e) => `${e.id}:again`);
    const reissued = events.slice(20, 30).map((e) => ({ ...e, id: randomUUID() }));
    await publish(nc, reissued);
    await ledger.waitForProjections();
    const summary = await ok<{ totalRequests: number; totalCost: string }>(
      'qry.ledger.GetCostSummary',
      {
        communityRolloutId: community,
      },
    );
    expect(summary).toMatchObject({ totalRequests: 60, totalCost: '0.30' });
    expect(await rows('community_rollout_id = $1', [community])).toHaveLength(60);
  });

  it('prices with the version in effect at the usage time and gives free units per calendar month', async () => {
    const pro = { apiName: 'google_places', endpoint: 'nearby_search', skuTier: 'pro' } as const;
    const v2 = await ok<{ priceBookVersion: number }>(
      'cmd.ledger.PublishPriceBook',
      command({
        effectiveFrom: '2026-01-01T00:00:00Z',
        prices: [{ ...pro, unitCost: '0.017', freeMonthlyUnits: 3 }],
      }),
    );
    expect(v2.priceBookVersion).toBe(2);
    const community = randomUUID();
    const at = (recordedAt: string) => usage({ ...pro, communityRolloutId: community, recordedAt });
    await publish(nc, [
      ...['05', '06', '07', '08', '09'].map((d) => at(`2026-01-${d}T10:00:00Z`)),
      at('2026-02-03T00:00:00Z'),
      at('2026-02-04T00:00:00Z'),
    ]);
    await ledger.waitForProjections();
    const backdated = await ask(
      'cmd.ledger.PublishPriceBook',
      command({ effectiveFrom: '2026-02-01T00:00:00Z', prices: [{ ...pro, unitCost: '1' }] }),
    );
    expect(backdated).toMatchObject({ ok: false, error: { code: 'PRICE_BOOK_BACKDATED' } });
    await ok(
      'cmd.ledger.PublishPriceBook',
      command({
        effectiveFrom: '2026-02-15T00:00:00Z',
        prices: [{ ...pro, unitCost: '0.02', freeMonthlyUnits: 3 }],
      }),
    );
    await publish(nc, [
      at('2026-02-20T00:00:00Z'),
      at('2026-02-21T00:00:00Z'),
      at('2026-02-10T00:00:00Z'),
    ]);
    await ledger.waitForProjections();
    expect(
      (await rows('community_rollout_id = $1', [community])).map((r) => [
        r.price_book_version,
        r.free_units,
        r.priced_cost,
      ]),
    ).toEqual([
      [2, 1, '0.000000'],
      [2, 1, '0.000000'],
      [2, 1, '0.000000'],
      [2, 0, '0.017000'],
      [2, 0, '0.017000'],
      [2, 1, '0.000000'],
      [2, 1, '0.000000'],
      [3, 1, '0.000000'],
      [3, 0, '0.020000'],
      [2, 0, '0.017000'],
    ]);
    const byDay = await ok<{ groups: Array<{ key: string; cost: string }> }>(
      'qry.ledger.GetCostSummary',
      {
        communityRolloutId: community,
        groupBy: 'day',
        from: '2026-02-01T00:00:00Z',
        to: '2026-03-01T00:00:00Z',
        format: 'csv',
      },
    );
    expect(byDay).toMatchObject({ totalCost: '0.037', totalRequests: 5 });
    expect((byDay as unknown as { csv: string }).csv).toContain('2026-02-21,1,0.02\n');
  });

  it('keeps money exact where JavaScript floats are not (0.1 + 0.2)', async () => {
    await ok(
      'cmd.ledger.PublishPriceBook',
      command({
        effectiveFrom: '2026-03-01T00:00:00Z',
        prices: [
          { apiName: 'serpapi', endpoint: 'text_search', skuTier: 'essentials', unitCost: '0.1' },
          {
            apiName: 'scrapingbee',
            endpoint: 'text_search',
            skuTier: 'essentials',
            unitCost: '0.2',
          },
        ],
      }),
    );
    const community = randomUUID();
    const base = {
      communityRolloutId: community,
      recordedAt: '2026-03-02T00:00:00Z',
      endpoint: 'text_search',
    } as const;
    await publish(nc, [
      usage({ ...base, apiName: 'serpapi', estimatedCost: '0.1' }),
      usage({ ...base, apiName: 'scrapingbee', estimatedCost: '0.2' }),
    ]);
    await ledger.waitForProjections();
    expect(0.1 + 0.2).not.toBe(0.3);
    const summary = await ok<{ totalCost: string; groups: unknown[] }>(
      'qry.ledger.GetCostSummary',
      { communityRolloutId: community },
    );
    expect(summary.totalCost).toBe('0.30');
    const [costs] = await ledger.db.query(
      'SELECT api_cost_estimate::text AS e, priced_cost::text AS p FROM community_rollout_costs WHERE community_rollout_id = $1',
      [community],
    );
    expect(costs).toEqual({ e: '0.300000', p: '0.300000' });
  });

  it('fires budget thresholds once each, in order, then BudgetExceeded once, for the orchestrator to pause on', async () => {
    const stateRolloutId = randomUUID();
    const started = envelope('orchestrator', 'StateRolloutStarted', 'StateRollout', {
      stateRolloutId,
      stateCode: 'TX',
      stateName: 'Texas',
      totalCommunities: 3,
      settings: { batchSize: 5, budget: '1.00' },
      initiatedBy: 'ops',
      startedAt: '2025-07-01T00:00:00Z',
    });
    await publish(nc, [started]);
    await eventually(async () =>
      expect(await ok('qry.ledger.GetBudget', { stateCode: 'TX' })).toMatchObject({
        stateRolloutId,
        budget: '1.00',
      }),
    );
    const spend = (n: number) =>
      Array.from({ length: n }, () =>
        usage({ stateRolloutId, recordedAt: '2025-07-02T00:00:00Z' }),
      );
    for (const chunk of [spend(90), spend(10), spend(70), spend(50), spend(40)]) {
      await publish(nc, chunk);
      await ledger.waitForProjections();
    }
    const budgetEvents = await readStream<EventEnvelope<Record<string, unknown>>>(
      nc,
      STREAMS.events,
      'events.ledger.*.TX',
    );
    expect(budgetEvents.map((e) => [e.subject, e.data.data.thresholdPercent ?? null])).toEqual([
      ['events.ledger.BudgetSet.TX', null],
      ['events.ledger.BudgetThresholdReached.TX', 50],
      ['events.ledger.BudgetThresholdReached.TX', 80],
      ['events.ledger.BudgetExceeded.TX', null],
    ]);
    expect(budgetEvents[3].data.data).toMatchObject({
      stateRolloutId,
      stateCode: 'TX',
      budget: '1.00',
    });
    // Each crossing is announced by the batch that crossed it (batch boundaries vary).
    const spentAt = budgetEvents.slice(1).map((e) => toMicros(e.data.data.spent as string));
    expect(spentAt[0]).toBe(toMicros('0.50'));
    expect(spentAt[1] >= toMicros('0.80') && spentAt[1] <= toMicros('0.85')).toBe(true);
    expect(spentAt[2] > toMicros('1.00') && spentAt[2] <= toMicros('1.10')).toBe(true);
    expect(await ok('qry.ledger.GetBudget', { stateRolloutId })).toMatchObject({
      spent: '1.30',
      remaining: '-0.30',
      reachedThresholdPercents: [50, 80],
      exceeded: true,
    });
  });

  it('takes a budget by SetBudget and refuses bad input with structured errors', async () => {
    const reply = await ok<{ budget: string; thresholdPercents: number[] }>(
      'cmd.ledger.SetBudget',
      command({ stateCode: 'tx', budget: '2.50', thresholdPercents: [90] }),
    );
    expect(reply).toMatchObject({ budget: '2.50', thresholdPercents: [90] });
    const bad = await ask<unknown>(
      'cmd.ledger.SetBudget',
      command({ stateCode: 'TX', budget: 0.3 }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const unknown = await ask<unknown>(
      'cmd.ledger.SetBudget',
      command({ stateCode: 'VT', budget: '1' }),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const summary: Reply = await ask('qry.ledger.GetCostSummary', { groupBy: 'color' });
    expect(summary).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('writes nothing from a batch priced with a stale price book (a version published meanwhile)', async () => {
    const row = {
      ...parseUsage(usage({ stateCode: 'NM' }), 1),
      priceBookVersion: 1,
      unitCost: 5000n,
      freeUnits: 0,
      pricedCost: 5000n,
      counterKey: 'google_places/text_search/essentials/2026-01',
    };
    const stale = await ledger.db.transaction((tx) =>
      writeBatch(tx, [row], new Map(), { versions: 0, stateRolloutIds: [] }),
    );
    expect(stale).toMatchObject({ inserted: 0 });
    expect(stale.versions).toBeGreaterThan(0);
    expect(await rows('id = $1', [row.usageId])).toHaveLength(0);
  });

  it('reconciles: verify is clean, and a rebuild from the stream gives the same tables', async () => {
    const report = await verifyLedger(ledger.db, nc);
    expect(report.text).toMatch(/all checks passed/);
    expect(report.ok).toBe(true);
    const tables: Array<[string, string]> = [
      ['rollout_api_usage', 'id'],
      ['usage_daily_rollups', 'day, community_rollout_id, api_name, endpoint, sku_tier'],
      ['community_rollout_costs', 'community_rollout_id'],
      ['state_rollout_costs', 'state_rollout_id'],
      ['free_unit_usage', 'api_name, endpoint, sku_tier, month'],
      ['state_rollouts', 'id'],
    ];
    const before = await Promise.all(tables.map(([t, o]) => tableHash(ledger.db, t, o)));
    await ledger.rebuild();
    expect(await Promise.all(tables.map(([t, o]) => tableHash(ledger.db, t, o)))).toEqual(before);
    await ledger.db.query('UPDATE state_rollout_costs SET total_api_cost = total_api_cost + 0.01');
    const broken = await verifyLedger(ledger.db, nc);
    expect(broken.ok).toBe(false);
    expect(broken.text).toMatch(/FAIL {2}state_rollout_costs/);
  });
});
