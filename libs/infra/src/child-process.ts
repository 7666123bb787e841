import type { ChildProcess } from 'node:child_process';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const neverStarted = (child: ChildProcess): boolean => child.pid === undefined;

const hasExited = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null || neverStarted(child);

/** Resolves when the child has exited, or failed to spawn (at once if either already happened). */
export function waitForExit(child: ChildProcess): Promise<ExitInfo> {
  if (hasExited(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => neverStarted(child) && resolve({ code: null, signal: null }));
  });
}

function exitWithin(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    void waitForExit(child).then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Waits up to `timeoutMs` for the child to exit, then SIGKILLs it; resolves once it has exited. */
export async function killAfter(child: ChildProcess, timeoutMs: number): Promise<ExitInfo> {
  if (!(await exitWithin(child, timeoutMs))) child.kill('SIGKILL');
  return waitForExit(child);
}

/** SIGTERM (or `signal`), then SIGKILL when the child has not exited after `timeoutMs`; waits for the exit. */
export async function terminate(
  child: ChildProcess,
  timeoutMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<ExitInfo> {
  if (hasExited(child)) return waitForExit(child);
  child.kill(signal);
  return killAfter(child, timeoutMs);
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

const livingChildren = new Set<ChildProcess>();

function killLivingChildren(): void {
  for (const child of livingChildren) child.kill('SIGKILL');
}

/**
 * SIGKILLs `child` if this process exits while it still runs (a crash, `process.exit`), so a
 * detached server or service is not left behind. A SIGKILL of this process cannot be caught.
 */
export function killOnExit(child: ChildProcess): void {
  if (livingChildren.size === 0) process.on('exit', killLivingChildren);
  livingChildren.add(child);
  void waitForExit(child).then(() => {
    livingChildren.delete(child);
    if (livingChildren.size === 0) process.removeListener('exit', killLivingChildren);
  });
}
