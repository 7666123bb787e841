import { escapeLiteral } from 'pg';
import { arrayLiteral, literal, SqlArrays } from './sql-arrays';

describe('literal', () => {
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

describe('arrayLiteral', () => {
  it('leaves uuids, codes, numbers and timestamps bare, and writes nulls as NULL', () => {
    expect(
      arrayLiteral([
        '0b7c7a2e-3f0e-4d2a-9a51-2c1f5b0d9e11',
        'text_search',
        12,
        '0.005000',
        '2026-01-01T00:00:00.000Z',
        null,
      ]),
    ).toBe(
      '{0b7c7a2e-3f0e-4d2a-9a51-2c1f5b0d9e11,text_search,12,0.005000,2026-01-01T00:00:00.000Z,NULL}',
    );
  });

  it('quotes what an array literal would misread: separators, quotes, backslashes, the word NULL, empty text', () => {
    expect(arrayLiteral(['a,b', 'say "hi"', 'back\\slash', 'NULL', 'null', '', '{x}', 'a b'])).toBe(
      '{"a,b","say \\"hi\\"","back\\\\slash","NULL","null","","{x}","a b"}',
    );
  });
});

describe('SqlArrays', () => {
  it('writes arrays inline for a simple query', () => {
    const arrays = new SqlArrays('inline');
    expect(arrays.of(["it's", null], 'text')).toBe("ARRAY['it''s',NULL]::text[]");
    expect(arrays.ints([1, null])).toBe('ARRAY[1,NULL]::int[]');
    expect(arrays.values).toEqual([]);
  });

  it('numbers parameters in order, the text independent of the values', () => {
    const a = new SqlArrays('parameters');
    const b = new SqlArrays('parameters');
    const text = (arrays: SqlArrays, names: string[], n: number[]) =>
      `${arrays.of(names, 'text')} ${arrays.ints(n)}`;
    expect(text(a, ['x', 'y,z'], [1])).toBe('$1::text[] $2::int[]');
    expect(text(b, [], [])).toBe(text(new SqlArrays('parameters'), ['q'], [7, 8]));
    expect(a.values).toEqual(['{x,"y,z"}', '{1}']);
  });

  it('sends JSON texts as one parameter that PostgreSQL splits, and inline as literals', () => {
    const docs = [JSON.stringify({ a: 'say "hi"', b: 'x\u001ey' }), JSON.stringify([1, null])];
    const parameters = new SqlArrays('parameters');
    expect(parameters.json(docs, 'jsonb')).toBe('string_to_array($1::text, chr(30))::jsonb[]');
    expect(parameters.values).toEqual([`${docs[0]}\u001e${docs[1]}`]);
    expect(new SqlArrays('inline').json(docs, 'text')).toBe(
      new SqlArrays('inline').of(docs, 'text'),
    );
  });

  it('refuses anything but JSON texts in a JSON array', () => {
    const arrays = new SqlArrays('parameters');
    expect(() => arrays.json(['{}', 'a\u001eb'], 'jsonb')).toThrow('not a list of JSON texts');
    expect(() => arrays.json([''], 'text')).toThrow('not a list of JSON texts');
  });

  it('refuses a non-integer in an int array', () => {
    expect(() => new SqlArrays('parameters').ints([1.5])).toThrow('not an integer list');
  });
});
