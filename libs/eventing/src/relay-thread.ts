import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ServiceName } from '@rcp/contracts';
import type { Logger } from '@rcp/telemetry';
import type { OutboxRelayOptions, Relay } from './outbox-relay';

/** What the relay's thread is started with: its own NATS connection and pool are opened there. */
export interface RelayThreadData {
  service: ServiceName;
  schema: string;
  natsUrl: string;
  databaseUrl: string;
  options?: OutboxRelayOptions;
}

/** The compiled worker next to this file (present in dist/, absent when running from sources). */
export const RELAY_WORKER_FILE = path.join(__dirname, 'relay-thread.worker.js');

/** How long a relay thread that exited unasked waits before it is started again. */
const RESTART_MS = 1_000;
/** How long stop() waits for the thread to finish its batch before terminating it. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * The outbox relay in a thread of its own. Publishing is mostly socket writes (a batch of events
 * is tens of kB into the NATS connection); on the service's thread they delayed every command
 * waiting for its turn. The thread has its own NATS connection and a pool of two; the service
 * only posts `wake` after its commits. A thread that dies is started again; whatever it had not
 * deleted from the outbox is published by the next one (the duplicate window absorbs repeats).
 */
export class RelayThread implements Relay {
  private worker?: Worker;
  private stopping = false;
  private restart?: NodeJS.Timeout;

  constructor(
    private readonly data: RelayThreadData,
    private readonly logger: Logger,
    private readonly workerFile = RELAY_WORKER_FILE,
  ) {}

  /** Whether a compiled worker exists to run the relay in (not under Jest's on-the-fly TypeScript). */
  static available(workerFile = RELAY_WORKER_FILE): boolean {
    return existsSync(workerFile);
  }

  /** Starts the thread; resolves once its relay runs (or the thread failed to start). */
  start(): Promise<void> {
    this.stopping = false;
    return this.worker ? Promise.resolve() : this.spawn();
  }

  wake(): void {
    this.worker?.postMessage('wake');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restart);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('stop');
    const timeout = new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
    await Promise.race([exited, timeout]);
    await worker.terminate();
  }

  /** A new thread; resolves when it reports its relay running, or when it exits first. */
  private spawn(): Promise<void> {
    const worker = new Worker(this.workerFile, { workerData: this.data });
    const running = new Promise<void>((resolve) => {
      worker.once('message', resolve);
      worker.once('exit', () => resolve());
    });
    worker.on('error', (error) => this.logger.error('outbox relay thread failed', { error }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.stopping) return;
      this.logger.warn('outbox relay thread exited; starting it again', { code });
      this.restart = setTimeout(() => void this.spawn(), RESTART_MS);
      this.restart.unref();
    });
    this.worker = worker;
    return running;
  }
}
