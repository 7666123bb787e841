import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSubjectsTable } from './subjects-table';

const readme = path.resolve(__dirname, '../../../../README.md');
writeFileSync(readme, withSubjectsTable(readFileSync(readme, 'utf8')));
console.log(`subjects table written to ${readme}`);
