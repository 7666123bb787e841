import { fold } from '@rcp/domain';
import { meterLimitDecider } from '../meter-limit/meter-limit.decide';
import { tenantDecider } from './tenant.decide';

const now = new Date('2026-03-10T12:00:00Z');

describe('Tenant and meter limit deciders', () => {
  it('sets a tier from free and records the previous one', () => {
    expect(
      tenantDecider.decide(
        { type: 'SetTier', tenantId: 't', tier: 'pro', now },
        tenantDecider.initialState,
      ),
    ).toEqual([
      {
        type: 'TierSet',
        data: { tenantId: 't', tier: 'pro', previousTier: 'free', setAt: now.toISOString() },
      },
    ]);
  });

  it('changes nothing when the tier is already set', () => {
    const state = fold(tenantDecider, [
      { type: 'TierSet', data: { tenantId: 't', tier: 'pro', previousTier: 'free', setAt: '' } },
    ]);
    expect(
      tenantDecider.decide({ type: 'SetTier', tenantId: 't', tier: 'pro', now }, state),
    ).toEqual([]);
  });

  it('sets and clears an explicit limit', () => {
    const set = meterLimitDecider.decide(
      { type: 'SetQuotaLimit', tenantId: 't', meter: 'm', limit: 5, now },
      meterLimitDecider.initialState,
    );
    expect(set).toMatchObject([{ type: 'QuotaLimitSet', data: { limit: 5 } }]);
    const state = fold(meterLimitDecider, set);
    expect(
      meterLimitDecider.decide(
        { type: 'SetQuotaLimit', tenantId: 't', meter: 'm', limit: null, now },
        state,
      ),
    ).toMatchObject([{ type: 'QuotaLimitSet', data: { limit: null } }]);
  });
});
