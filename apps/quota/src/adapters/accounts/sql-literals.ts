import { escapeLiteral } from 'pg';

/**
 * pg's escapeLiteral walks the string a character at a time, which for event payloads was the
 * largest cost of a batch. Without a backslash, doubling the quotes is the same literal in both
 * forms; a string with one still goes through escapeLiteral (an E'' literal).
 */
export function literal(value: string): string {
  if (value.includes('\\')) return escapeLiteral(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** A text[] / uuid[] / jsonb[] / timestamptz[] literal; every element is escaped (see `literal`). */
export function list(values: string[], type: string): string {
  return `ARRAY[${values.map(literal).join(',')}]::${type}[]`;
}

/** An int[] literal; anything but a safe integer or null is refused. */
export function ints(values: Array<number | null>): string {
  if (!values.every((v) => v === null || Number.isSafeInteger(v)))
    throw new Error('not an integer list');
  return `ARRAY[${values.map((v) => (v === null ? 'NULL' : v)).join(',')}]::int[]`;
}
