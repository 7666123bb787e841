import { escapeLiteral } from 'pg';

const BARE = /^[A-Za-z0-9_.:+-]+$/;

/** A PostgreSQL array literal of text values (null → NULL), quoting only what needs it. */
export function arrayLiteral(values: unknown[]): string {
  const parts = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = String(value);
    if (BARE.test(text) && text.toUpperCase() !== 'NULL') return text;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}

/**
 * A string as an SQL literal. pg's escapeLiteral walks the string a character at a time; without
 * a backslash, doubling the quotes is the same literal, and a string with one still goes through
 * escapeLiteral (an E'' literal).
 */
export function literal(value: string): string {
  if (value.includes('\\')) return escapeLiteral(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The array columns of one statement (for `unnest(...)`), written either inline as literals — a
 * simple query, which takes no parameters but may hold several statements — or as parameters
 * sent as array literals, which PostgreSQL neither parses as SQL nor plans around as constants.
 * The statement's text then depends only on its shape, never on the values.
 */
export class SqlArrays {
  /** The parameters, in `$n` order (mode `parameters`). */
  readonly values: string[] = [];

  constructor(private readonly mode: 'inline' | 'parameters') {}

  /** `values` as an SQL expression of type `type[]`; null elements are NULL. */
  of(values: Array<string | null>, type: string): string {
    if (this.mode === 'parameters') return this.parameter(arrayLiteral(values), type);
    const items = values.map((v) => (v === null ? 'NULL' : literal(v)));
    return `ARRAY[${items.join(',')}]::${type}[]`;
  }

  /** Integers (or nulls) as an SQL expression of type `int[]`; anything else is refused. */
  ints(values: Array<number | null>): string {
    if (!values.every((v) => v === null || Number.isSafeInteger(v)))
      throw new Error('not an integer list');
    if (this.mode === 'parameters') return this.parameter(arrayLiteral(values), 'int');
    return `ARRAY[${values.map((v) => (v === null ? 'NULL' : v)).join(',')}]::int[]`;
  }

  private parameter(value: string, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}[]`;
  }
}
