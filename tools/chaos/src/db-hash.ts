import { Client } from 'pg';

/** md5 of every table of the service schemas, `schema.table` → hash (equal hashes, equal rows). */
export async function databaseHashes(databaseUrl: string): Promise<Record<string, string>> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { rows: tables } = await pg.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public')
        ORDER BY 1, 2`,
    );
    const out: Record<string, string> = {};
    for (const t of tables) {
      const qualified = `"${t.schema}"."${t.name}"`;
      const { rows } = await pg.query<{ hash: string | null; n: string }>(
        `SELECT md5(string_agg(x, '|' ORDER BY x)) AS hash, count(*) AS n FROM (SELECT t::text AS x FROM ${qualified} t) s`,
      );
      out[`${t.schema}.${t.name}`] = `${rows[0].n}:${rows[0].hash ?? 'empty'}`;
    }
    return out;
  } finally {
    await pg.end();
  }
}
