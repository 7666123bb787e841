import { Client } from 'pg';

const CONNECT_TIMEOUT_MS = 3_000;
const DUPLICATE_DATABASE = '42P04';

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when PostgreSQL at `url` accepts the connection and answers `select 1`. */
export async function isPostgresReachable(url: string): Promise<boolean> {
  try {
    return await withClient(
      url,
      async (client) => (await client.query('select 1 as one')).rows[0]?.one === 1,
    );
  } catch {
    return false;
  }
}

/** Creates database `dbName` through the server at `adminUrl` unless it exists; safe under races. */
export async function ensureDatabase(adminUrl: string, dbName: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [dbName]);
    if (found.rowCount) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(dbName)}`);
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  });
}

/** `url` with its path replaced by `/<dbName>`. */
export function withDatabase(url: string, dbName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${dbName}`;
  return parsed.toString();
}

/** `url` with any password replaced by `***`, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
