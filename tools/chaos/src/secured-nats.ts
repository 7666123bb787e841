import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findFreePort, killOnExit, terminate, waitFor } from '@rcp/infra';
import type { NatsNodes } from './nats-nodes';
import { repoRoot } from './repo-root';
import { ALL_SERVICES } from './service-process';

export const NATS_CONFIG = path.join(repoRoot, 'deploy', 'nats', 'nats-server.conf');

export interface SecuredNats extends NatsNodes {
  /** user → password, for every service token and `admin`. */
  passwords: Record<string, string>;
  /** What the server logged (permission violations show up here). */
  output(): string;
}

const passwordVar = (user: string) => `RCP_NATS_${user.toUpperCase()}_PASSWORD`;

/** nats-server with deploy/nats/nats-server.conf (one user per service), random passwords, on loopback. */
export async function startSecuredNats(label: string): Promise<SecuredNats> {
  const users = [...ALL_SERVICES.map((s) => s.token), 'admin'];
  const passwords = Object.fromEntries(
    users.map((u) => [u, `pw${randomBytes(12).toString('hex')}`]),
  );
  const storeDir = await mkdtemp(path.join(os.tmpdir(), `rcp-secure-${label}-`));
  const port = await findFreePort();
  let monitor = await findFreePort();
  while (monitor === port) monitor = await findFreePort();
  const env = {
    ...process.env,
    ...Object.fromEntries(users.map((u) => [passwordVar(u), passwords[u]])),
  };
  const args = [
    '-c',
    NATS_CONFIG,
    '-js',
    '-sd',
    storeDir,
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-m',
    String(monitor),
  ];
  const child = spawn(process.env.RCP_NATS_SERVER_BIN || 'nats-server', args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-200_000)));
  const url = `nats://127.0.0.1:${port}`;
  const stop = async () => {
    await terminate(child, 5_000);
    await rm(storeDir, { recursive: true, force: true });
  };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`nats-server exited: ${output}`);
      const nc = await connect({
        servers: url,
        user: 'admin',
        pass: passwords.admin,
        reconnect: false,
      });
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
        return true;
      } finally {
        await nc.close();
      }
    },
    { timeoutMs: 20_000, description: `nats-server with ${NATS_CONFIG}` },
  ).catch(async (error: Error) => {
    await stop();
    throw error;
  });
  return {
    url,
    passwords,
    output: () => output,
    nodes: [],
    kill: async () => void child.kill('SIGKILL'),
    restart: async () => {
      throw new Error('not supported');
    },
    stop,
  };
}
