import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, from the sources (ts-jest) or from their compiled copy in dist/. */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'tools', 'build.mjs'))) return dir;
  }
  throw new Error(`no repository root above ${from}`);
}

/** A Node child process running a compiled script from dist/, with its output kept. */
export interface NodeProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a line of output matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Extra Node flags for child processes, e.g. RCP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const nodeArgs = () => (process.env.RCP_NODE_ARGS ?? '').split(' ').filter(Boolean);

export function spawnDist(
  relativeScript: string,
  env: Record<string, string | undefined>,
): NodeProcess {
  const script = path.join(repoRoot, 'dist', relativeScript);
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs(), script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.split('\n').find((line) => pattern.test(line));
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `no output matching ${pattern} from ${relativeScript}; output:\n${out.slice(-4000)}`,
          );
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
