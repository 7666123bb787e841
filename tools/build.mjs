// Compiles every TypeScript source (apps, libs, tools, bench, e2e) into dist/ with SWC,
// rewriting the @rcp/* path aliases to relative imports so `node dist/...` runs as is.
import { transformFile } from '@swc/core';
import { readFile, mkdir, writeFile, readdir, rename } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
// `node tools/build.mjs` builds everything afresh; `node tools/build.mjs apps/flags` only that folder.
const only = process.argv.slice(2);
const roots = only.length > 0 ? only : ['apps', 'libs', 'tools', 'bench', 'e2e'];

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(full);
    } else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.d.ts') &&
      !entry.name.endsWith('.spec.ts')
    ) {
      yield full;
    } else if (entry.name.endsWith('.json') && full.includes(`${path.sep}assets${path.sep}`)) {
      yield full;
    }
  }
}

/**
 * Files are replaced atomically and dist/ is never wiped, so a build can run while tests (or a
 * running system) execute the previous one; unchanged files are not touched.
 */
async function writeAtomically(target, content) {
  const next = Buffer.from(content);
  const current = await readFile(target).catch(() => null);
  if (current && current.equals(next)) return;
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, next);
  await rename(temp, target);
}

const tsconfig = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8'));
const options = {
  sourceMaps: true,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

const started = Date.now();
const jobs = [];
for (const dir of roots) {
  for await (const file of walk(path.join(root, dir))) {
    const rel = path.relative(root, file);
    const target = path.join(out, rel.replace(/\.ts$/, '.js'));
    jobs.push(
      (async () => {
        await mkdir(path.dirname(target), { recursive: true });
        if (file.endsWith('.json')) {
          await writeAtomically(target, await readFile(file));
          return;
        }
        const result = await transformFile(file, { ...options, filename: file });
        await writeAtomically(
          target,
          `${result.code}\n//# sourceMappingURL=${path.basename(target)}.map`,
        );
        if (result.map) await writeAtomically(`${target}.map`, result.map);
      })(),
    );
  }
}
await Promise.all(jobs);
console.log(`build: ${jobs.length} files compiled to dist/ in ${Date.now() - started} ms`);
