import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { silentLog, type Log } from './log';

export const NATS_INSTALL_COMMAND = 'sudo apt-get install -y nats-server';
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/bin'];

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable named `name` on PATH or in the usual system directories. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const pathDirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...EXTRA_DIRS]) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function runShown(command: string, args: string[], log: Log): Promise<void> {
  log(`$ ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with code ${code}`)),
    );
  });
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function canInstallWithApt(): Promise<boolean> {
  return isRoot() && (await findExecutable('apt-get')) !== undefined;
}

function missingBinaryError(): Error {
  return new Error(
    `nats-server was not found on PATH (nor in /usr/sbin or /usr/local/bin). Install it with:\n\n  ${NATS_INSTALL_COMMAND}\n\n` +
      'then run this command again. Or point NATS_URL at a running NATS server with JetStream enabled.',
  );
}

/**
 * Path of the `nats-server` binary. When it is missing and we are root with apt-get, installs the
 * Debian package (printing that it does); otherwise throws with the one command that installs it.
 */
export async function ensureNatsServerBinary(log: Log = silentLog): Promise<string> {
  const found = await findExecutable('nats-server');
  if (found) return found;
  if (!(await canInstallWithApt())) throw missingBinaryError();
  log('nats-server is not installed; installing the Debian package nats-server with apt-get');
  await runShown('apt-get', ['update'], log);
  await runShown('apt-get', ['install', '-y', 'nats-server'], log);
  const installed = await findExecutable('nats-server');
  if (!installed) throw missingBinaryError();
  return installed;
}
