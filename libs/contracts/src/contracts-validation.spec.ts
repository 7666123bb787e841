import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { Class } from './messages';
import { ApiUsageRecorded } from './discovery';
import { Evaluate } from './flags';
import { PauseStateRollout, StartStateRollout } from './orchestrator';
import { ReserveQuota, SetQuotaLimit } from './quota';

/** Validates like the command bus: transform, then whitelist and refuse unknown fields. */
function check<T extends object>(cls: Class<T>, payload: unknown): { value: T; fields: string[] } {
  const value = plainToInstance(cls, payload) as T;
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, fields: flatten(errors) };
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return e.children?.length ? flatten(e.children, path) : [path];
  });
}

const command = { commandId: '0b6f7f6e-3b7a-4c1e-9f4e-1f2a3b4c5d6e', actor: 'ops@example.com' };
/** A copy of `payload` without `key`. */
function without<T extends object>(payload: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...payload };
  delete copy[key];
  return copy;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('StartStateRollout', () => {
  const valid = {
    ...command,
    stateCode: ' tx ',
    initiatedBy: 'ops',
    settings: { batchSize: 5, budget: '250.00' },
  };

  it('accepts a valid start and upper-cases the state code', () => {
    const { value, fields } = check(StartStateRollout, valid);
    expect(fields).toEqual([]);
    expect(value.stateCode).toBe('TX');
  });

  it('refuses an unknown state', () => {
    expect(check(StartStateRollout, { ...valid, stateCode: 'XX' }).fields).toEqual(['stateCode']);
  });

  it('refuses a batch size given as a string', () => {
    expect(check(StartStateRollout, { ...valid, settings: { batchSize: '5' } }).fields).toEqual([
      'settings.batchSize',
    ]);
  });

  it('refuses a missing initiatedBy and a missing commandId', () => {
    expect(check(StartStateRollout, without(valid, 'commandId')).fields).toEqual(['commandId']);
    expect(check(StartStateRollout, without(valid, 'initiatedBy')).fields).toEqual(['initiatedBy']);
  });

  it('refuses unknown fields, at the top and nested', () => {
    expect(check(StartStateRollout, { ...valid, force: true }).fields).toEqual(['force']);
    expect(check(StartStateRollout, { ...valid, settings: { turbo: 1 } }).fields).toEqual([
      'settings.turbo',
    ]);
  });

  it('refuses a budget given as a float number', () => {
    expect(check(StartStateRollout, { ...valid, settings: { budget: 250.5 } }).fields).toEqual([
      'settings.budget',
    ]);
  });
});

describe('PauseStateRollout', () => {
  it('accepts a state code or a rollout id', () => {
    expect(check(PauseStateRollout, { ...command, stateCode: 'ri' }).fields).toEqual([]);
    expect(
      check(PauseStateRollout, { ...command, stateRolloutId: uuid(1), reason: 'lunch' }).fields,
    ).toEqual([]);
  });

  it('refuses a pause that names no rollout', () => {
    expect(check(PauseStateRollout, command).fields.sort()).toEqual([
      'stateCode',
      'stateRolloutId',
    ]);
  });
});

describe('ReserveQuota', () => {
  const valid = {
    ...command,
    tenantId: 'site-42',
    meter: 'google_places.essentials',
    units: 3,
    idempotencyKey: 'k1',
  };

  it('accepts a valid reservation', () => {
    expect(check(ReserveQuota, valid).fields).toEqual([]);
    expect(check(ReserveQuota, { ...valid, ttlMs: 1000 }).fields).toEqual([]);
  });

  it('refuses fractional, zero and string units', () => {
    expect(check(ReserveQuota, { ...valid, units: 1.5 }).fields).toEqual(['units']);
    expect(check(ReserveQuota, { ...valid, units: 0 }).fields).toEqual(['units']);
    expect(check(ReserveQuota, { ...valid, units: '3' }).fields).toEqual(['units']);
  });

  it('refuses a meter with upper case or spaces, and a missing idempotency key', () => {
    expect(check(ReserveQuota, { ...valid, meter: 'Google Places' }).fields).toEqual(['meter']);
    expect(check(ReserveQuota, without(valid, 'idempotencyKey')).fields).toEqual([
      'idempotencyKey',
    ]);
  });

  it('refuses unknown fields', () => {
    expect(check(ReserveQuota, { ...valid, priority: 'high' }).fields).toEqual(['priority']);
  });
});

describe('SetQuotaLimit', () => {
  it('accepts a limit or null, and refuses a missing limit', () => {
    const base = { ...command, tenantId: 't1', meter: 'ai_evaluation' };
    expect(check(SetQuotaLimit, { ...base, limit: 50 }).fields).toEqual([]);
    expect(check(SetQuotaLimit, { ...base, limit: null }).fields).toEqual([]);
    expect(check(SetQuotaLimit, base).fields).toEqual(['limit']);
  });
});

describe('ApiUsageRecorded', () => {
  const valid = {
    usageId: uuid(1),
    communityRolloutId: uuid(2),
    stateRolloutId: uuid(3),
    stateCode: 'RI',
    phase: 1,
    apiName: 'google_places',
    endpoint: 'text_search',
    skuTier: 'essentials',
    requestCount: 1,
    actualResponseCount: 20,
    estimatedCost: '0.005',
    recordedAt: '2026-03-01T12:00:00.000Z',
  };

  it('accepts a valid usage', () => {
    expect(check(ApiUsageRecorded, valid).fields).toEqual([]);
  });

  it('refuses a cost given as a float number', () => {
    expect(check(ApiUsageRecorded, { ...valid, estimatedCost: 0.005 }).fields).toEqual([
      'estimatedCost',
    ]);
  });

  it('refuses a malformed decimal string and a negative one', () => {
    expect(check(ApiUsageRecorded, { ...valid, estimatedCost: '1e-3' }).fields).toEqual([
      'estimatedCost',
    ]);
    expect(check(ApiUsageRecorded, { ...valid, estimatedCost: '-0.005' }).fields).toEqual([
      'estimatedCost',
    ]);
  });

  it('refuses an unknown api, endpoint or sku tier', () => {
    const fields = check(ApiUsageRecorded, {
      ...valid,
      apiName: 'bing',
      endpoint: 'search',
      skuTier: 'gold',
    }).fields;
    expect(fields.sort()).toEqual(['apiName', 'endpoint', 'skuTier']);
  });

  it('refuses a missing usage id, a non-ISO time and an unknown field', () => {
    expect(check(ApiUsageRecorded, without(valid, 'usageId')).fields).toEqual(['usageId']);
    expect(check(ApiUsageRecorded, { ...valid, recordedAt: 'yesterday' }).fields).toEqual([
      'recordedAt',
    ]);
    expect(check(ApiUsageRecorded, { ...valid, price: '1' }).fields).toEqual(['price']);
  });

  it('takes stateRolloutId as optional', () => {
    expect(check(ApiUsageRecorded, without(valid, 'stateRolloutId')).fields).toEqual([]);
  });
});

describe('Evaluate', () => {
  const valid = {
    flag: 'discovery.dense-search_v2',
    subjectId: 'community-17',
    attributes: { population: 12000 },
  };

  it('accepts a valid evaluation', () => {
    expect(check(Evaluate, valid).fields).toEqual([]);
    expect(check(Evaluate, { flag: 'f', subjectId: 's' }).fields).toEqual([]);
  });

  it('refuses a flag name outside [A-Za-z0-9._-]', () => {
    expect(check(Evaluate, { ...valid, flag: 'bad flag!' }).fields).toEqual(['flag']);
  });

  it('refuses a numeric subject id, a missing subject and attributes that are not an object', () => {
    expect(check(Evaluate, { ...valid, subjectId: 17 }).fields).toEqual(['subjectId']);
    expect(check(Evaluate, { flag: 'f' }).fields).toEqual(['subjectId']);
    expect(check(Evaluate, { ...valid, attributes: 'big' }).fields).toEqual(['attributes']);
  });

  it('refuses unknown fields', () => {
    expect(check(Evaluate, { ...valid, tenant: 'x' }).fields).toEqual(['tenant']);
  });
});
