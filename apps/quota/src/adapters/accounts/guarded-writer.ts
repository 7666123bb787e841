import type { Pool, PoolClient } from 'pg';
import { guardedWriteAndCommit, type BatchGuard, type BatchWrite } from './batch-write';

interface Connection {
  client: Promise<PoolClient>;
  /** Writes queued on it and not settled. */
  users: number;
  onError: (error: Error) => void;
  failed?: Error;
  idle?: NodeJS.Timeout;
}

/**
 * The writer's session: the guarded write is a prepared statement planned once (no parse or plan
 * per batch), and every lookup in it is by key, so a plan made while the tables are small must
 * never scan them whole once they are large (PostgreSQL would, without table statistics).
 */
export const WRITER_SESSION = 'SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off';
const RESET_SESSION = 'RESET plan_cache_mode; RESET enable_seqscan';

/** How long the connection stays checked out after its last write (batches follow each other). */
const LINGER_MS = 100;

/** A write not attempted because the one queued before it was not written. */
export class PrecedingWriteFailedError extends Error {
  constructor() {
    super('the batch written before this one failed, and this one was decided on its state');
    this.name = 'PrecedingWriteFailedError';
  }
}

/**
 * Guarded batch writes queue on one connection, in the order they were decided, so a batch
 * decided on the state the one before it leaves never runs first. A write queued while another
 * was unsettled runs only if that one was written (else it fails with PrecedingWriteFailedError):
 * it was decided on the state the failed one would have left, and the versions alone cannot
 * always tell (another writer may have appended as many events to the same account). The
 * connection goes back to the pool (its session settings reset) once no write has been queued for
 * LINGER_MS; pool.end waits for it.
 */
export class GuardedWriter {
  private connection?: Connection;
  /** The outcome of the last write queued, and how many queued writes are unsettled. */
  private last: Promise<boolean> = Promise.resolve(true);
  private unsettled = 0;

  constructor(private readonly pool: Pool) {}

  write(guard: BatchGuard, write: BatchWrite): Promise<boolean> {
    const previous = this.unsettled > 0 ? this.last : undefined;
    const connection = (this.connection ??= this.open());
    connection.users++;
    this.unsettled++;
    clearTimeout(connection.idle);
    const written = (async () => {
      try {
        if (previous && !(await previous.catch(() => false))) throw new PrecedingWriteFailedError();
        return await guardedWriteAndCommit(await connection.client, guard, write);
      } finally {
        this.unsettled--;
        if (--connection.users === 0) this.linger(connection);
      }
    })();
    this.last = written;
    return written;
  }

  private open(): Connection {
    const connection: Connection = {
      users: 0,
      client: this.pool.connect().then(async (client) => {
        client.on('error', connection.onError);
        await client.query(WRITER_SESSION).catch((error: Error) => {
          this.release(connection, client, error);
          throw error;
        });
        return client;
      }),
      // A lost connection: the writes queued on it fail; the next ones take a new one.
      onError: (error) => {
        connection.failed = error;
        if (this.connection === connection) this.connection = undefined;
      },
    };
    connection.client.catch(() =>
      this.connection === connection ? (this.connection = undefined) : undefined,
    );
    return connection;
  }

  private linger(connection: Connection): void {
    if (connection.failed) return this.close(connection);
    connection.idle = setTimeout(() => this.close(connection), LINGER_MS);
    connection.idle.unref();
  }

  private close(connection: Connection): void {
    if (this.connection === connection) this.connection = undefined;
    connection.client.then(
      async (client) => {
        if (!connection.failed)
          await client.query(RESET_SESSION).catch((error: Error) => (connection.failed = error));
        this.release(connection, client, connection.failed);
      },
      () => undefined,
    );
  }

  private release(connection: Connection, client: PoolClient, error?: Error): void {
    client.off('error', connection.onError);
    client.release(error);
  }
}
