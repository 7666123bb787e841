import type { Pool, PoolClient } from 'pg';
import { guardedWriteAndCommit, type BatchGuard, type BatchWrite } from './batch-write';

interface Connection {
  client: Promise<PoolClient>;
  /** Writes queued on it and not settled. */
  users: number;
  onError: (error: Error) => void;
  failed?: Error;
}

/**
 * Guarded batch writes queue on one connection, in the order they were decided, so a batch
 * decided on the state the one before it leaves never runs first; PostgreSQL starts on the next
 * while the service handles the replies of the last. The connection goes back to the
 * pool once no write is queued (pool.end waits for every checked-out client).
 */
export class GuardedWriter {
  private connection?: Connection;

  constructor(private readonly pool: Pool) {}

  async write(guard: BatchGuard, write: BatchWrite): Promise<boolean> {
    const connection = (this.connection ??= this.open());
    connection.users++;
    try {
      return await guardedWriteAndCommit(await connection.client, guard, write);
    } finally {
      if (--connection.users === 0) this.close(connection);
    }
  }

  private open(): Connection {
    const connection: Connection = {
      users: 0,
      client: this.pool.connect(),
      // A lost connection: the writes queued on it fail; the next ones take a new one.
      onError: (error) => {
        connection.failed = error;
        if (this.connection === connection) this.connection = undefined;
      },
    };
    connection.client.then(
      (client) => client.on('error', connection.onError),
      () => (this.connection === connection ? (this.connection = undefined) : undefined),
    );
    return connection;
  }

  private close(connection: Connection): void {
    if (this.connection === connection) this.connection = undefined;
    connection.client.then(
      (client) => {
        client.off('error', connection.onError);
        client.release(connection.failed);
      },
      () => undefined,
    );
  }
}
