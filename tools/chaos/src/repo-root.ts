import { existsSync } from 'node:fs';
import path from 'node:path';

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'tools', 'build.mjs'))) return dir;
  }
  throw new Error(`no repository root above ${from}`);
}

/** The repository root, from the sources (Jest) or from their compiled copy in dist/. */
export const repoRoot = findRepoRoot(__dirname);
