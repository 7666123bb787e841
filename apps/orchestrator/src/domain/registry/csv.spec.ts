import { coerceCommunityRow, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads a header, quoted fields with commas and doubled quotes, CRLF and blank cells', () => {
    const text =
      'name,stateCode,county,population\r\n"Providence, City",ri,"Providence ""PVD""",190934\r\nNewport,RI,,\n\n';
    expect(parseCsv(text)).toEqual([
      {
        name: 'Providence, City',
        stateCode: 'ri',
        county: 'Providence "PVD"',
        population: '190934',
      },
      { name: 'Newport', stateCode: 'RI' },
    ]);
  });

  it('turns numeric columns into numbers and leaves bad ones for validation to refuse', () => {
    expect(
      coerceCommunityRow({ name: 'X', latitude: '41.8', longitude: '-71.4', population: 'many' }),
    ).toEqual({ name: 'X', latitude: 41.8, longitude: -71.4, population: 'many' });
  });
});
