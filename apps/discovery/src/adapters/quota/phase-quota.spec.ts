import { createLogger } from '@rcp/telemetry';
import { PhaseQuota, QuotaExceededError, QuotaUnavailableError } from './phase-quota';
import type { QuotaPort, ReserveRequest, ReserveResult } from './quota.client';

/** An in-memory quota account with the service's rules: never past the limit, keys grant once. */
class FakeQuota implements QuotaPort {
  reserves: ReserveRequest[] = [];
  settled: { reservationId: string; units: number }[] = [];
  reachable = true;
  private held = new Map<string, number>();
  private used = 0;

  constructor(private readonly limit: number) {}

  get remaining() {
    return this.limit - this.used - [...this.held.values()].reduce((a, b) => a + b, 0);
  }

  async reserve(r: ReserveRequest): Promise<ReserveResult> {
    await Promise.resolve();
    if (!this.reachable) return { type: 'unavailable', message: 'no responders' };
    this.reserves.push(r);
    if (r.units > this.remaining)
      return { type: 'refused', message: 'quota exceeded', remaining: this.remaining };
    const id = `res-${this.reserves.length}`;
    this.held.set(id, r.units);
    return { type: 'granted', reservationId: id, units: r.units };
  }

  async settle(reservationId: string, units: number) {
    this.settled.push({ reservationId, units });
    this.used += units;
    this.held.delete(reservationId);
    return { ok: true as const, data: {} };
  }
}

const gate = (port: QuotaPort, strict = true) =>
  new PhaseQuota({
    port,
    keyBase: 'discovery:cr:1:1:1',
    ttlMs: 60_000,
    chunk: 5,
    strict: () => strict,
    answered: () => undefined,
    logger: createLogger('test', { level: 'error' }),
  });
const call = { endpoint: 'text_search', skuTier: 'essentials' } as const;

describe('the Places quota of a phase run', () => {
  it('reserves the planned calls with the first call, commits the billed ones and returns the rest', async () => {
    const quota = new FakeQuota(100);
    const run = gate(quota);
    run.plan('essentials', 8);
    for (let i = 0; i < 6; i++) await run.acquire(call);
    expect(quota.reserves).toEqual([
      expect.objectContaining({ meter: 'google_places.essentials', units: 8 }),
    ]);
    await run.settle(new Map([['essentials', 5]]));
    expect(quota.settled).toEqual([{ reservationId: 'res-1', units: 5 }]);
    expect(quota.remaining).toBe(95);
  });

  it('reserves more in chunks when the plan runs out', async () => {
    const quota = new FakeQuota(100);
    const run = gate(quota);
    run.plan('essentials', 2);
    for (let i = 0; i < 4; i++) await run.acquire(call);
    expect(quota.reserves.map((r) => r.units)).toEqual([2, 5]);
    await run.settle(new Map([['essentials', 4]]));
    expect(quota.settled).toEqual([
      { reservationId: 'res-1', units: 2 },
      { reservationId: 'res-2', units: 2 },
    ]);
  });

  it('takes what is left, then refuses every further call without asking again', async () => {
    const quota = new FakeQuota(3);
    const run = gate(quota);
    run.plan('essentials', 10);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => run.acquire(call)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(QuotaExceededError);
    expect(run.refusal).toContain('google_places.essentials');
    expect(quota.reserves.map((r) => r.units)).toEqual([10, 3, 5]);
    await run.settle(new Map([['essentials', 3]]));
    expect(quota.remaining).toBe(0);
  });

  it('commits every held unit when the billed calls are unknown (the run threw)', async () => {
    const quota = new FakeQuota(100);
    const run = gate(quota);
    for (let i = 0; i < 3; i++) await run.acquire(call);
    await run.settle();
    expect(quota.settled).toEqual([{ reservationId: 'res-1', units: 3 }]);
  });

  it('stops paid calls when the quota service is unreachable, unless not strict (never seen)', async () => {
    const quota = new FakeQuota(100);
    quota.reachable = false;
    const strict = gate(quota, true);
    await expect(strict.acquire(call)).rejects.toBeInstanceOf(QuotaUnavailableError);
    const lenient = gate(quota, false);
    await expect(lenient.acquire(call)).resolves.toBeUndefined();
    expect(lenient.unmetered).toBe(true);
  });
});
