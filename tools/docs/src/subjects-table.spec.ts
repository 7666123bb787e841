import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withSubjectsTable } from './subjects-table';

describe('README subjects table', () => {
  it('matches the contracts catalog (run `npm run docs:subjects` after changing contracts)', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toBe(withSubjectsTable(readme));
  });
});
