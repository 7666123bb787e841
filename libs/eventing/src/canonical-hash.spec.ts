import { canonicalHash } from './command-executor';

describe('canonicalHash', () => {
  // Hashes stored in processed_commands must not change across versions: a retried command would
  // otherwise be refused as IDEMPOTENCY_CONFLICT. These values come from the first implementation.
  it.each([
    [
      {
        units: 1,
        tenantId: 't',
        commandId: 'c',
        Zeta: 2,
        alpha: 'a',
        _x: null,
        skip: undefined,
        nested: { b: [1, { z: 1, A: 2 }], a: {} },
      },
      'f0721541e4ce414c5170dccd8793ecb446b083b86970f684d3749a162d91a64f',
    ],
    [
      {
        settings: { batch_size: 5, batchSize: 6, 'Throttle-ms': 1 },
        stateCode: 'TX',
        state: 'x',
        é: 1,
        e: 2,
        f: 3,
      },
      '53fc501b39cefe0a53d0f4acef26fef59e568839508c7948c5e34fab9bdb5f70',
    ],
    [[], '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945'],
    [{}, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'],
  ])('hashes %j as it always has', (payload, hash) => {
    expect(canonicalHash(payload)).toBe(hash);
    expect(canonicalHash(payload)).toBe(hash); // the remembered key order gives the same
  });

  it('ignores key order and undefined fields, and tells different values apart', () => {
    expect(canonicalHash({ a: 1, b: 'x', c: undefined })).toBe(canonicalHash({ b: 'x', a: 1 }));
    expect(canonicalHash({ a: 1, b: 'x' })).not.toBe(canonicalHash({ a: 1, b: 'y' }));
    expect(canonicalHash({ 'a"': 1 })).not.toBe(canonicalHash({ a: 1 }));
  });
});
