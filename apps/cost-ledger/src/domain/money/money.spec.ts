import { formatMicros, normalizeMoney, sumMicros, toMicros } from './money';

describe('money', () => {
  it('sums amounts that binary floats get wrong, exactly', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatMicros(sumMicros([toMicros('0.1'), toMicros('0.2')]))).toBe('0.30');
    const tenThousandCalls = Array.from({ length: 10_000 }, () => toMicros('0.005'));
    expect(formatMicros(sumMicros(tenThousandCalls))).toBe('50.00');
  });

  it('keeps up to six decimals and normalises PostgreSQL numerics', () => {
    expect(formatMicros(toMicros('0.000001') * 3n)).toBe('0.000003');
    expect(normalizeMoney('12.500000')).toBe('12.50');
    expect(formatMicros(toMicros('-1.25'))).toBe('-1.25');
  });

  it('refuses floats and malformed amounts with a validation error', () => {
    expect(() => toMicros(0.1 as unknown as string)).toThrow(/decimal string/);
    expect(() => toMicros('1e-3')).toThrow(/decimal string/);
    expect(() => toMicros('0.0000001')).toThrow(/decimal string/);
  });
});
