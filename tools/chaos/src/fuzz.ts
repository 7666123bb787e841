import { randomUUID } from 'node:crypto';
import { getMetadataStorage } from 'class-validator';
import { CATALOG, type CommandDefinition, type QueryDefinition } from '@rcp/contracts';
import { seededRandom } from './seeded-random';

export type Target = CommandDefinition | QueryDefinition;

export interface FuzzCase {
  subject: string;
  kind: 'command' | 'query';
  /** Bytes sent (may not be JSON at all). */
  body: string;
  /** True when the payload breaks validation by construction (must be refused, state untouched). */
  invalid: boolean;
  how: string;
}

export const fuzzTargets = (): Target[] =>
  CATALOG.filter((d): d is Target => d.kind === 'command' || d.kind === 'query');

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

const JUNK: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  'x'.repeat(5000),
  [],
  {},
  [1, 'a'],
  { a: { b: { c: [] } } },
  '\u0000\uffff🙂',
  '2026-13-45T99:99:99Z',
  'NaN',
  -0.5,
  2 ** 53 + 1,
];

/** A value that fits the property's first class-validator constraint, roughly. */
function plausible(
  rand: Rand,
  constraints: Array<{ name?: string; constraints?: unknown[] }>,
): unknown {
  for (const c of constraints) {
    switch (c.name) {
      case 'isUuid':
        return randomUUID();
      case 'isIn':
        return pick(rand, (c.constraints?.[0] as unknown[]) ?? ['x']);
      case 'isInt':
      case 'min':
      case 'max':
        return Math.floor(rand() * 10);
      case 'isNumber':
        return Math.round(rand() * 1000) / 10;
      case 'isBoolean':
        return rand() < 0.5;
      case 'isIso8601':
      case 'isDateString':
        return new Date(Date.now() + Math.floor(rand() * 1e9)).toISOString();
      case 'matches':
        return '1.50';
      case 'isArray':
        return [];
      case 'isObject':
        return {};
    }
  }
  return `fuzz-${Math.floor(rand() * 1e6)}`;
}

/** A payload built from the DTO's validation metadata: often valid, sometimes not. */
function plausiblePayload(rand: Rand, target: Target): Record<string, unknown> {
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.payload, '', true, false);
  const byProperty = new Map<string, Array<{ name?: string; constraints?: unknown[] }>>();
  for (const m of metas) {
    const list = byProperty.get(m.propertyName) ?? [];
    const name =
      getMetadataStorage().getTargetValidatorConstraints(m.constraintCls)[0]?.name ??
      String(m.type);
    list.push({ name, constraints: m.constraints });
    byProperty.set(m.propertyName, list);
  }
  const out: Record<string, unknown> = {};
  for (const [property, constraints] of byProperty) {
    if (rand() < 0.2 && property !== 'commandId') continue;
    out[property] = plausible(rand, constraints);
  }
  if (target.kind === 'command') Object.assign(out, { commandId: randomUUID(), actor: 'fuzz' });
  return out;
}

/** Mutations that always break validation. */
const BREAKERS: Array<[string, (rand: Rand, p: Record<string, unknown>, t: Target) => string]> = [
  [
    'not json',
    (rand) =>
      pick(rand, ['{', '}{', 'nul', '\u0000\u0001', '{"a":', '[1,2', 'undefined', '<xml/>']),
  ],
  ['json, not an object', (rand) => JSON.stringify(pick(rand, [null, 1, 'text', [], [{}], true]))],
  [
    'unknown field',
    (rand, p) => JSON.stringify({ ...p, [`fuzz_${Math.floor(rand() * 1e6)}`]: pick(rand, JUNK) }),
  ],
  [
    'bad commandId',
    (rand, p, t) =>
      JSON.stringify(
        t.kind === 'command'
          ? { ...p, commandId: pick(rand, ['x', 42, null, '', 'g'.repeat(36)]) }
          : { ...p, fuzzExtra: 1 },
      ),
  ],
  [
    'missing actor',
    (rand, p, t) =>
      JSON.stringify(t.kind === 'command' ? { ...p, actor: undefined } : { ...p, fuzzExtra: 2 }),
  ],
];

/** Mutations that may or may not break validation. */
const MAYBES: Array<[string, (rand: Rand, p: Record<string, unknown>) => string]> = [
  ['plausible', (_rand, p) => JSON.stringify(p)],
  [
    'junk value',
    (rand, p) => {
      const keys = Object.keys(p);
      const k = keys.length ? pick(rand, keys) : 'x';
      return JSON.stringify({ ...p, [k]: pick(rand, JUNK) });
    },
  ],
  [
    'dropped field',
    (rand, p) => {
      const keys = Object.keys(p).filter((k) => k !== 'commandId');
      const copy = { ...p };
      if (keys.length) delete copy[pick(rand, keys)];
      return JSON.stringify(copy);
    },
  ],
  [
    'prototype keys',
    (_rand, p) =>
      JSON.stringify(p).replace(
        /^\{/,
        '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},',
      ),
  ],
];

/** `count` cases over every command and query subject; `invalidShare` of them invalid by construction. */
export function fuzzCases(count: number, seed: string, invalidShare: number): FuzzCase[] {
  const rand = seededRandom(`fuzz:${seed}`);
  const targets = fuzzTargets();
  return Array.from({ length: count }, (_, i) => {
    const target = targets[i % targets.length];
    const payload = plausiblePayload(rand, target);
    const invalid = rand() < invalidShare;
    const [how, mutate] = invalid ? pick(rand, BREAKERS) : pick(rand, MAYBES);
    return {
      subject: target.subject,
      kind: target.kind,
      body: mutate(rand, payload, target),
      invalid,
      how,
    };
  });
}
