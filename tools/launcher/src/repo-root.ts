import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest ancestor of `from` holding package.json (dist/tools/launcher/src → the repository). */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`No package.json above ${from}; run the launcher from inside the repository`);
}
