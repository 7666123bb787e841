import { escapeLiteral } from 'pg';
import { literal } from './sql-literals';

describe('sql literal', () => {
  it.each([
    ['plain'],
    ["it's"],
    ["''"],
    ['{"a":"b\\"c"}'],
    ["back\\slash and 'quote'"],
    ['ünïcødé ✓'],
    [''],
  ])('writes the same literal as pg escapeLiteral for %j', (value) => {
    expect(literal(value)).toBe(escapeLiteral(value));
  });
});
