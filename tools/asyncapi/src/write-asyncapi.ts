import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApi } from './asyncapi-document';

/** Where `npm run asyncapi` writes the document. */
export const ASYNCAPI_PATH = path.join('docs', 'asyncapi.json');

export function asyncApiText(): string {
  return `${JSON.stringify(buildAsyncApi(), null, 2)}\n`;
}

if (require.main === module) {
  const target = path.resolve(__dirname, '..', '..', '..', '..', ASYNCAPI_PATH);
  writeFileSync(target, asyncApiText());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
