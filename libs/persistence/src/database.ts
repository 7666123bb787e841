import { Client, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { DataSource, type MixedList } from 'typeorm';
import { ChassisTables1763683200000 } from './migrations/chassis-tables.migration';

/** A query surface shared by the pool and by a transaction's client. */
export interface Queryable {
  query<T extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A transaction: queries run on one client between BEGIN and COMMIT. */
export interface Tx extends Queryable {
  readonly client: PoolClient;
}

const outboxWriters = new WeakSet<Queryable>();

/** Notes that `tx` wrote outbox rows, so whoever commits it knows to wake the outbox relay. */
export function markOutboxWritten(tx: Queryable): void {
  outboxWriters.add(tx);
}

/** Whether `tx` wrote outbox rows (see `markOutboxWritten`). */
export function wroteOutbox(tx: Queryable): boolean {
  return outboxWriters.has(tx);
}

export interface Database extends Queryable {
  readonly schema: string;
  readonly dataSource: DataSource;
  readonly pool: Pool;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url: string;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the service's schema through TypeORM (whose pg pool every query here uses), creates the
 * schema if needed and runs the chassis migrations plus the service's, under an advisory lock so
 * replicas starting together migrate once.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name: ${options.schema}`);
  await createSchema(options.url, options.schema);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    migrationsTableName: 'migrations',
    migrations: [ChassisTables1763683200000, ...((options.migrations as unknown[]) ?? [])] as never,
    migrationsTransactionMode: 'each',
    extra: { options: `-c search_path=${options.schema}`, max: options.poolSize ?? 10 },
    logging: false,
  });
  await dataSource.initialize();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const db = createDatabase(options.schema, dataSource, pool);
  await withAdvisoryLock(pool, `migrate:${options.schema}`, () => dataSource.runMigrations());
  return db;
}

function createDatabase(schema: string, dataSource: DataSource, pool: Pool): Database {
  return {
    schema,
    dataSource,
    pool,
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async transaction(fn) {
      const { client, failure, release } = await checkOut(pool);
      try {
        await client.query('BEGIN');
        const tx: Tx = {
          client,
          query: async (sql, params) => (await client.query(sql, params)).rows,
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!failure()) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        release();
      }
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists,
    // and a least-privilege role owns its schema without being able to create others.
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      schema,
    ]);
    if (rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two replicas racing on CREATE SCHEMA: the loser sees a duplicate, which is the goal.
    if (!['23505', '42P06'].includes((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await client.end();
  }
}

/** Runs `fn` while holding a session advisory lock named `key`. */
export async function withAdvisoryLock<T>(
  pool: Pool,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  const { client, release } = await checkOut(pool);
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    release();
  }
}

/**
 * Takes a client from the pool with an `error` listener for as long as it is checked out: pg's
 * pool only listens on idle clients, so a server restart would otherwise raise an unhandled
 * 'error' event and kill the process. A client that failed is destroyed, not reused.
 */
export async function checkOut(
  pool: Pool,
): Promise<{ client: PoolClient; failure: () => Error | undefined; release: () => void }> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error) => {
    failed = error;
  };
  client.on('error', onError);
  return {
    client,
    failure: () => failed,
    release: () => {
      client.off('error', onError);
      client.release(failed);
    },
  };
}
