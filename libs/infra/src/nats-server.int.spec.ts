import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJetStreamReady, isNatsReachable } from './nats-readiness';
import { startNatsServer, type NatsServerHandle } from './nats-server';
import { findFreePort, isPortFree } from './free-port';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startNatsServer', () => {
  let dir: string;
  let server: NatsServerHandle | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rcp-nats-'));
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('starts on a free loopback port with JetStream answering, then stops', async () => {
    server = await startNatsServer({
      storeDir: path.join(dir, 'store'),
      logFile: path.join(dir, 'nats.log'),
    });

    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    await expect(isJetStreamReady(server.url)).resolves.toBe(true);

    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    await expect(isNatsReachable(server.url, 500)).resolves.toBe(false);
    expect(await readFile(path.join(dir, 'nats.log'), 'utf8')).toContain('JetStream');
  });

  it('uses the preferred port when it is free', async () => {
    const preferredPort = await findFreePort();
    server = await startNatsServer({ storeDir: dir, preferredPort });
    expect(server.port).toBe(preferredPort);
  });

  it('falls back to another port when the preferred one is taken', async () => {
    const first = await startNatsServer({ storeDir: path.join(dir, 'a') });
    try {
      server = await startNatsServer({ storeDir: path.join(dir, 'b'), preferredPort: first.port });
      expect(server.port).not.toBe(first.port);
      expect(await isPortFree(first.port)).toBe(false);
    } finally {
      await first.stop();
    }
  });

  it('fails with the server output when the server cannot start', async () => {
    const holder = await startNatsServer({ storeDir: path.join(dir, 'a') });
    try {
      await expect(
        startNatsServer({ storeDir: path.join(dir, 'b'), port: holder.port }),
      ).rejects.toThrow(
        /nats-server for nats:\/\/127\.0\.0\.1:\d+ exited with code \d+ before it was ready\. Last lines:\n[\s\S]*address already in use/,
      );
    } finally {
      await holder.stop();
    }
  });
});
