import { arrayLiteral } from './api-usage.sql';

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
