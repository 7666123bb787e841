import { escapeLiteral } from 'pg';

const BARE = /^[A-Za-z0-9_.:+-]+$/;

/** U+001E: JSON.stringify escapes every control character, so no JSON text contains it raw. */
const RECORD_SEPARATOR = '\u001e';

/** A PostgreSQL array literal of text values (null → NULL), quoting only what needs it. */
export function arrayLiteral(values: unknown[]): string {
  const parts = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = String(value);
    if (BARE.test(text) && !(text.length === 4 && text.toUpperCase() === 'NULL')) return text;
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

  /**
   * JSON texts (JSON.stringify output) as an SQL expression of type `type[]` (`jsonb`, `text`):
   * as a parameter, one text joined by U+001E, which JSON text never holds unescaped, and split
   * by PostgreSQL; quoting every `"` of every document for an array literal cost more than
   * everything else the statement's parameters need.
   */
  json(values: string[], type: 'jsonb' | 'text'): string {
    if (this.mode === 'inline') return this.of(values, type);
    if (values.some((v) => v.length === 0 || v.includes(RECORD_SEPARATOR)))
      throw new Error('not a list of JSON texts');
    this.values.push(values.join(RECORD_SEPARATOR));
    return `string_to_array($${this.values.length}::text, chr(30))::${type}[]`;
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
