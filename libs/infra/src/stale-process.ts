import { readFile } from 'node:fs/promises';
import type { Log } from './log';
import { waitFor } from './wait-for';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readText = (file: string): Promise<string | undefined> =>
  readFile(file, 'utf8').catch(() => undefined);

async function readPid(pidFile: string): Promise<number | undefined> {
  const pid = Number.parseInt((await readText(pidFile))?.split('\n')[0]?.trim() ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const commandLine = async (pid: number): Promise<string> =>
  ((await readText(`/proc/${pid}/cmdline`)) ?? '').replace(/\0/g, ' ');

async function parentPid(pid: number): Promise<number | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  const afterName = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return afterName ? Number(afterName[1]) : undefined;
}

async function isOrphan(pid: number): Promise<boolean> {
  const parent = await parentPid(pid);
  if (parent === undefined || parent <= 1) return true;
  return !(await commandLine(parent)).includes('node');
}

async function stopLeftover(pid: number, signal: NodeJS.Signals): Promise<void> {
  process.kill(pid, signal);
  try {
    await waitFor(() => !isAlive(pid), { timeoutMs: 10_000, description: `pid ${pid} to exit` });
  } catch {
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), {
      timeoutMs: 5_000,
      description: `pid ${pid} to exit after SIGKILL`,
    });
  }
}

/**
 * A server left running by an earlier launcher that was killed holds our data directory.
 * When its launcher is gone we stop it (saying so); when a live Node process still owns it we refuse.
 */
export async function reclaimStaleServer(
  pidFile: string,
  program: string,
  signal: NodeJS.Signals,
  log: Log,
): Promise<void> {
  const pid = await readPid(pidFile);
  if (pid === undefined || !isAlive(pid) || !(await commandLine(pid)).includes(program)) return;
  if (!(await isOrphan(pid))) {
    throw new Error(
      `${program} (pid ${pid}) from another running launcher already uses ${pidFile}; stop that launcher first, or use another data directory`,
    );
  }
  log(`Stopping leftover ${program} (pid ${pid}) from an earlier run`);
  await stopLeftover(pid, signal);
}
