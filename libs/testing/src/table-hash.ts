import type { Queryable } from '@rcp/persistence';

/** md5 of every row of a table in a stable order: equal hashes, equal tables. */
export async function tableHash(
  db: Queryable,
  table: string,
  orderBy: string,
): Promise<{ hash: string; rows: number }> {
  const [row] = await db.query<{ hash: string | null; rows: string }>(
    `SELECT md5(string_agg(t::text, '|' ORDER BY ${orderBy})) AS hash, count(*) AS rows FROM ${table} t`,
  );
  return { hash: row.hash ?? 'empty', rows: Number(row.rows) };
}
