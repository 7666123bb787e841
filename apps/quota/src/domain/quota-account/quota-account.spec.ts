import { fold } from '@rcp/domain';
import { quotaAccountDecider, type QuotaAccountCommand } from './quota-account.decide';
import { reservationFacts, type QuotaAccountEvent } from './quota-account';
import { resolveLimit } from './quota-limits';
import { isoOf, monthOf, resetsAt } from './quota-month';

const account = { tenantId: 'site-1', meter: 'ai_evaluation', month: '2026-03' };
const now = new Date('2026-03-10T12:00:00Z');
const grant = { account, limit: 3, tier: 'free' as const, now };
const reserve = (units: number, key: string, extra: object = {}): QuotaAccountCommand => ({
  type: 'ReserveQuota',
  ...grant,
  units,
  idempotencyKey: key,
  reservationId: `r-${key}`,
  ttlMs: 60_000,
  ...extra,
});

/** given events, when command, then events (or the thrown error). */
function when(given: QuotaAccountCommand[], command: QuotaAccountCommand): QuotaAccountEvent[] {
  const events: QuotaAccountEvent[] = [];
  for (const c of given)
    events.push(...quotaAccountDecider.decide(c, fold(quotaAccountDecider, events)));
  return quotaAccountDecider.decide(command, fold(quotaAccountDecider, events));
}

describe('QuotaAccount decider', () => {
  it('reserves units under the limit and says what remains', () => {
    const [event] = when([], reserve(2, 'a'));
    expect(event).toMatchObject({
      type: 'QuotaReserved',
      data: { units: 2, remaining: 1, limit: 3, expiresAt: '2026-03-10T12:01:00.000Z' },
    });
  });

  it('refuses a reservation past the limit with the remaining units and the reset time', () => {
    const [event] = when([reserve(2, 'a')], reserve(2, 'b'));
    expect(event).toEqual({
      type: 'QuotaRefused',
      data: expect.objectContaining({
        requestedUnits: 2,
        remaining: 1,
        reserved: 2,
        used: 0,
        resetsAt: '2026-04-01T00:00:00.000Z',
      }),
    });
  });

  it('grants a repeated idempotency key nothing new', () => {
    expect(
      when(
        [reserve(2, 'a')],
        reserve(2, 'a', { previous: { kind: 'reservation', reservationId: 'r-a', units: 2 } }),
      ),
    ).toEqual([]);
  });

  it('refuses an idempotency key reused for other units', () => {
    expect(() =>
      when(
        [],
        reserve(1, 'a', { previous: { kind: 'reservation', reservationId: 'r-a', units: 2 } }),
      ),
    ).toThrow(expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT' }));
  });

  const open = (units: number) => ({ units, status: 'open' as const });

  it('commits fewer units than reserved and returns the rest', () => {
    const commit: QuotaAccountCommand = {
      type: 'CommitReservation',
      account,
      reservationId: 'r-a',
      reservation: open(3),
      units: 1,
      now,
    };
    const [event] = when([reserve(3, 'a')], commit);
    expect(event).toMatchObject({
      type: 'QuotaReservationCommitted',
      data: { units: 1, releasedUnits: 2 },
    });
    expect(fold(quotaAccountDecider, [...when([], reserve(3, 'a')), event])).toEqual({
      used: 1,
      reserved: 0,
    });
  });

  it('refuses to commit more than reserved, or a closed reservation', () => {
    const commit = (
      units: number | undefined,
      status: 'open' | 'committed',
    ): QuotaAccountCommand => ({
      type: 'CommitReservation',
      account,
      reservationId: 'r-a',
      reservation: { units: 1, status },
      units,
      now,
    });
    expect(() => when([reserve(1, 'a')], commit(2, 'open'))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => when([reserve(1, 'a')], commit(undefined, 'committed'))).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });

  it('expires an open reservation and ignores a closed one', () => {
    const expire = (status: 'open' | 'released'): QuotaAccountCommand => ({
      type: 'ExpireReservation',
      account,
      reservationId: 'r-a',
      reservation: { units: 2, status },
      now,
    });
    const events = when([reserve(2, 'a')], expire('open'));
    expect(events).toMatchObject([{ type: 'QuotaReservationExpired', data: { units: 2 } }]);
    expect(fold(quotaAccountDecider, [...when([], reserve(2, 'a')), ...events])).toEqual({
      used: 0,
      reserved: 0,
    });
    expect(when([reserve(2, 'a')], expire('released'))).toEqual([]);
  });

  it("tells a reservation's status from its own events", () => {
    const reserved = { type: 'QuotaReserved', data: { units: 4 } };
    expect(reservationFacts([reserved])).toEqual({ units: 4, status: 'open' });
    expect(
      reservationFacts([reserved, { type: 'QuotaReservationExpired', data: { units: 4 } }]),
    ).toEqual({ units: 4, status: 'expired' });
  });

  it('consumes at once and counts the units as used', () => {
    const consume: QuotaAccountCommand = {
      type: 'ConsumeQuota',
      ...grant,
      units: 3,
      idempotencyKey: 'c',
      consumptionId: 'c-1',
    };
    expect(when([], consume)).toMatchObject([
      { type: 'QuotaConsumed', data: { units: 3, remaining: 0 } },
    ]);
    expect(when([consume], reserve(1, 'x'))[0].type).toBe('QuotaRefused');
  });
});

describe('limits and months', () => {
  const limits = { ai_evaluation: { free: 20, pro: 500, enterprise: 5000 } };
  it('takes the explicit limit first, then the tier of the meter', () => {
    expect(resolveLimit('ai_evaluation', 'free', null, limits)).toBe(20);
    expect(resolveLimit('ai_evaluation', 'pro', undefined, limits)).toBe(500);
    expect(resolveLimit('ai_evaluation', 'pro', 7, limits)).toBe(7);
    expect(resolveLimit('other', 'free', null, limits)).toBeUndefined();
  });
  it('puts an instant in its UTC month, which resets at the next month', () => {
    expect(monthOf(new Date('2026-01-31T23:59:59.999Z'))).toBe('2026-01');
    expect(monthOf(new Date('2026-02-01T00:00:00Z'))).toBe('2026-02');
    expect(resetsAt('2026-12').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
  it('writes every instant as toISOString does, however often and in whatever order', () => {
    const instants = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 7e8));
    for (const at of [...instants, ...instants.reverse(), instants[3], instants[3]])
      expect(isoOf(at)).toBe(at.toISOString());
    expect(() => isoOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});
