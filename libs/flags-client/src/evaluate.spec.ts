import { DEFAULT_CATEGORY_THRESHOLDS, type FlagView } from '@rcp/contracts';
import { categorize } from './categorize';
import { parseEmergencyOverride } from './emergency-override';
import { compileFlag, evaluateFlag } from './evaluate';

const view = (over: Partial<FlagView> = {}): FlagView => ({
  flag: 'f',
  description: null,
  groupId: 'gr1',
  rolloutPercentage: 73,
  isActive: true,
  strategy: 'percentage',
  allowList: [],
  denyList: [],
  categories: [],
  categoryThresholds: DEFAULT_CATEGORY_THRESHOLDS,
  maxErrorRate: 5,
  monitoringWindowHours: 24,
  autoRollbackEnabled: true,
  emergencyStop: false,
  emergencyStopSource: null,
  metadata: {},
  ramp: null,
  configVersion: 4,
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  ...over,
});
const evaluate = (
  over: Partial<FlagView>,
  subject = '123',
  attributes?: Record<string, string | number | boolean>,
  env?: string,
) => evaluateFlag(compileFlag(view(over)), subject, attributes, parseEmergencyOverride(env));

describe('flag evaluation', () => {
  it('enables a subject whose bucket is within the percentage (bucket <= percentage)', () => {
    expect(evaluate({})).toEqual({
      enabled: true,
      reason: 'percentage',
      bucket: 73,
      rolloutPercentage: 73,
      configVersion: 4,
    });
    expect(evaluate({ rolloutPercentage: 72 })).toMatchObject({
      enabled: false,
      reason: 'percentage',
      bucket: 73,
    });
    expect(evaluate({ rolloutPercentage: 0 }, 'x')).toMatchObject({ enabled: false });
    expect(evaluate({ rolloutPercentage: 100 }, 'x')).toMatchObject({ enabled: true });
  });

  it('hashes with the groupId, not the flag name', () => {
    expect(evaluate({ groupId: 'groupX' }, '999').bucket).toBe(25);
  });

  it('applies the order: emergency stop, inactive, deny, allow, strategy', () => {
    const all = { allowList: ['123'], denyList: ['123'] };
    expect(evaluate({ ...all, emergencyStop: true, isActive: false }).reason).toBe(
      'emergency_stop',
    );
    expect(evaluate({ ...all, isActive: false }).reason).toBe('inactive');
    expect(evaluate(all)).toMatchObject({ enabled: false, reason: 'denied' });
    expect(evaluate({ allowList: ['123'], rolloutPercentage: 0 })).toMatchObject({
      enabled: true,
      reason: 'allowed',
    });
    expect(evaluate({ strategy: 'whitelist' })).toMatchObject({
      enabled: false,
      reason: 'not_allowed',
    });
    expect(evaluate({ strategy: 'whitelist', allowList: ['123'] })).toMatchObject({
      enabled: true,
      reason: 'allowed',
    });
  });

  it('honours the FLAGS_EMERGENCY_STOP override for all flags or the named ones', () => {
    expect(evaluate({}, '123', undefined, 'true')).toMatchObject({
      enabled: false,
      reason: 'emergency_stop',
    });
    expect(evaluate({}, '123', undefined, 'other, f')).toMatchObject({
      enabled: false,
      reason: 'emergency_stop',
    });
    expect(evaluate({}, '123', undefined, 'other')).toMatchObject({
      enabled: true,
      reason: 'percentage',
    });
    expect(evaluate({}, '123', undefined, 'false')).toMatchObject({ enabled: true });
  });

  describe('category strategy', () => {
    it('derives categories from attributes with the thresholds', () => {
      expect(categorize({ population: 500 })).toBe('small');
      expect(categorize({ population: '25000' })).toBe('medium');
      expect(categorize({ population: 100_000 })).toBe('large');
      expect(categorize({ population: 2_000_000 })).toBe('enterprise');
      expect(categorize({ isTest: true, population: 2_000_000 })).toBe('test');
      expect(categorize({ category: 'large' })).toBe('large');
      expect(
        categorize({ stars: 50 }, { attribute: 'stars', medium: 10, large: 100, enterprise: 1000 }),
      ).toBe('medium');
      expect(categorize({})).toBeNull();
    });

    it('rolls categories out in priority order as the percentage rises', () => {
      const at = (pct: number, population: number) =>
        evaluate({ strategy: 'category', rolloutPercentage: pct }, 's', { population }).enabled;
      expect(
        evaluate({ strategy: 'category', rolloutPercentage: 1 }, 's', { isTest: true }).enabled,
      ).toBe(true);
      expect([at(19, 500), at(20, 500)]).toEqual([false, true]);
      expect([at(39, 50_000), at(40, 50_000)]).toEqual([false, true]);
      expect([at(59, 500_000), at(60, 500_000)]).toEqual([false, true]);
      expect([at(79, 5_000_000), at(80, 5_000_000)]).toEqual([false, true]);
      expect(at(0, 500)).toBe(false);
    });

    it('enables the listed categories outright, and not a subject without a category', () => {
      expect(
        evaluate({ strategy: 'category', rolloutPercentage: 0, categories: ['large'] }, 's', {
          population: 200_000,
        }),
      ).toMatchObject({ enabled: true, reason: 'category' });
      expect(evaluate({ strategy: 'category', rolloutPercentage: 100 }, 's', {})).toMatchObject({
        enabled: false,
        reason: 'category',
      });
    });
  });
});
