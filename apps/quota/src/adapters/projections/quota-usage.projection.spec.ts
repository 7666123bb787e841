import type { EventEnvelope } from '@rcp/contracts';
import { mergeChanges, usageChange } from './quota-usage.projection';

const envelope = (type: string, version: number, at: string, data: object): EventEnvelope => ({
  id: `e-${version}`,
  type,
  version: 1,
  occurredAt: at,
  source: 'quota',
  aggregate: { type: 'QuotaAccount', id: 't/m/2026-03', version },
  correlationId: 'c',
  causationId: null,
  actor: 'a',
  data: { tenantId: 't', meter: 'm', month: '2026-03', ...data },
});

describe('quota_usage projection', () => {
  it('merges a batch into one row: increments summed, newest limit, first and last time', () => {
    const changes = [
      envelope('QuotaReserved', 1, '2026-03-01T00:00:02Z', { units: 3, limit: 10, tier: 'free' }),
      envelope('QuotaReservationCommitted', 2, '2026-03-01T00:00:03Z', {
        units: 1,
        releasedUnits: 2,
      }),
      envelope('QuotaRefused', 3, '2026-03-01T00:00:01Z', {
        requestedUnits: 20,
        limit: 12,
        tier: 'pro',
      }),
    ].map(usageChange);
    expect(mergeChanges(changes)).toEqual([
      expect.objectContaining({
        count: 1,
        reserved: 0,
        refused: 1,
        limit: 12,
        tier: 'pro',
        limitVersion: 3,
        firstAt: '2026-03-01T00:00:01Z',
        at: '2026-03-01T00:00:03Z',
      }),
    ]);
  });
});
