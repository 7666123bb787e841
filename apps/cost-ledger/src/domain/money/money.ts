import { ValidationError } from '@rcp/domain';

/**
 * Money as an exact integer of micro-dollars (1e-6 USD). Every amount on the wire has at most six
 * decimals (DECIMAL_PATTERN), so sums and products with request counts stay exact; no JS float.
 */
export type Micros = bigint;

const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,6}))?$/;

/** Parses "0.005" or "-12.5" into micros; refuses anything else (floats included). */
export function toMicros(amount: string, field = 'amount'): Micros {
  const match = typeof amount === 'string' ? DECIMAL.exec(amount.trim()) : null;
  if (!match)
    throw new ValidationError(`${field} must be a decimal string with at most 6 decimals`, [
      { field, constraint: 'decimal', message: 'not a decimal string', value: amount },
    ]);
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return sign ? -micros : micros;
}

/** Formats micros as a decimal string with at least two decimals: "0.30", "0.005", "-1.25". */
export function formatMicros(micros: Micros): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Normalises a decimal string (e.g. PostgreSQL's "0.300000") to the ledger's format. */
export const normalizeMoney = (amount: string): string => formatMicros(toMicros(amount));

export const sumMicros = (amounts: readonly Micros[]): Micros =>
  amounts.reduce((total, amount) => total + amount, 0n);

/** True when `spent` is at least `percent` % of `budget`, exactly. */
export const reachesPercent = (spent: Micros, budget: Micros, percent: number): boolean =>
  spent * 100n >= budget * BigInt(percent);
