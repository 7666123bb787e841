import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { CATALOG, ReserveQuota, StartStateRollout, type Class } from '@rcp/contracts';
import { flatInstance } from './flat-payload';
import { validatePayload } from './validation';

/** class-validator and class-transformer as validatePayload runs them when the flat path declines. */
function fullPath(dto: Class<object>, payload: object) {
  const instance = plainToInstance(dto, payload);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  return { instance, failed: errors.map((e) => e.property) };
}

const CANDIDATES: unknown[] = [
  null,
  '',
  ' ',
  'x',
  'TX',
  'tx',
  'free',
  'pro',
  'enterprise',
  'ai_evaluation',
  'google_places.essentials',
  'tenant-1',
  'ops@example.com',
  '0b6f7f6e-3b7a-4c1e-9f4e-1f2a3b4c5d6e',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '2026-11-01T00:00:00.000Z',
  '2026-11',
  '12.50',
  '-1',
  'y'.repeat(300),
  0,
  1,
  -1,
  1.5,
  5,
  60_000,
  86_400_001,
  1e21,
  true,
  false,
  {},
  [],
  ['x'],
];

/** A small deterministic generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const propertiesOf = (dto: object) => [
  ...new Set(
    (
      getMetadataStorage() as unknown as {
        getTargetValidationMetadatas: (...args: unknown[]) => Array<{ propertyName: string }>;
      }
    )
      .getTargetValidationMetadatas(dto, undefined, false, false, undefined)
      .map((m) => m.propertyName),
  ),
];

/** Per property, the candidates class-validator finds no fault with (the rest of the payload aside). */
function acceptedCandidates(dto: Class<object>, properties: string[]): Map<string, unknown[]> {
  return new Map(
    properties.map((p) => [
      p,
      CANDIDATES.filter((value) => !fullPath(dto, { [p]: value }).failed.includes(p)),
    ]),
  );
}

/** Payloads near the valid ones: mostly accepted values, some wrong, missing or unknown fields. */
function* payloadsFor(dto: Class<object>, count: number, next: () => number): Generator<object> {
  const properties = propertiesOf(dto);
  const accepted = acceptedCandidates(dto, properties);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  for (let i = 0; i < count; i++) {
    const payload: Record<string, unknown> = {};
    for (const p of properties) {
      const roll = next();
      if (roll < 0.1) continue;
      const good = accepted.get(p)!;
      payload[p] = roll < 0.85 && good.length > 0 ? pick(good) : pick(CANDIDATES);
    }
    const extra = next();
    if (extra < 0.05) payload.unknownField = 'x';
    if (extra > 0.97) yield JSON.parse(`{"__proto__": {"polluted": true}, "constructor": 1}`);
    yield payload;
  }
}

describe('the flat payload path', () => {
  it('accepts only what class-validator accepts, and builds the same instance', () => {
    const next = random(20261122);
    let quick = 0;
    let accepted = 0;
    for (const { payload: dto } of CATALOG) {
      for (const payload of payloadsFor(dto as Class<object>, 60, next)) {
        const flat = flatInstance(dto as Class<object>, payload);
        const full = fullPath(dto as Class<object>, payload);
        if (full.failed.length === 0) accepted++;
        if (!flat) continue;
        quick++;
        expect({ dto: dto.name, payload, failed: full.failed }).toEqual({
          dto: dto.name,
          payload,
          failed: [],
        });
        expect(Object.getPrototypeOf(flat)).toBe(dto.prototype);
        expect({ ...flat }).toEqual({ ...full.instance });
      }
    }
    // The generator reaches valid payloads often, and the flat path takes most of them.
    expect(accepted).toBeGreaterThan(500);
    expect(quick).toBeGreaterThan(accepted / 3);
  });

  it('takes a valid ReserveQuota, and leaves one with a wrong field to class-validator', async () => {
    const valid = {
      commandId: '0b6f7f6e-3b7a-4c1e-9f4e-1f2a3b4c5d6e',
      actor: 'ops@example.com',
      tenantId: 'tenant-1',
      meter: 'google_places.essentials',
      units: 1,
      idempotencyKey: 'k-1',
    };
    expect(flatInstance(ReserveQuota, valid)).toBeInstanceOf(ReserveQuota);
    expect(flatInstance(ReserveQuota, { ...valid, units: 0 })).toBeUndefined();
    await expect(validatePayload(ReserveQuota, { ...valid, units: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'units', constraint: 'min' })],
    });
  });

  it('leaves DTOs with nested or transformed fields to class-transformer', () => {
    const start = {
      commandId: '0b6f7f6e-3b7a-4c1e-9f4e-1f2a3b4c5d6e',
      actor: 'ops@example.com',
      stateCode: 'TX',
      initiatedBy: 'ops',
    };
    expect(fullPath(StartStateRollout, start).failed).toEqual([]);
    expect(flatInstance(StartStateRollout, start)).toBeUndefined();
  });
});
