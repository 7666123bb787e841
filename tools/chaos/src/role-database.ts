import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withDatabase } from '@rcp/infra';
import { adminQuery, sharedAdminUrl, type PostgresTarget } from './postgres-target';
import { repoRoot } from './repo-root';
import { ALL_SERVICES } from './service-process';

export const ROLES_SQL = path.join(repoRoot, 'deploy', 'postgres', 'roles.sql');

export interface RoleDatabase extends PostgresTarget {
  /** DATABASE_URL of each service token, logging in as its own role. */
  urlFor(token: string): string;
  role(token: string): string;
}

/**
 * A fresh database on the shared server with deploy/postgres/roles.sql applied. Roles are global
 * to a server, so their names get a unique prefix here (`rcp_<random>_<token>`) and are dropped after.
 */
export async function startRoleDatabase(label: string): Promise<RoleDatabase> {
  const admin = sharedAdminUrl();
  const suffix = randomBytes(3).toString('hex');
  const name = `rcp_roles_${label}_${suffix}`;
  const prefix = `rcp_${suffix}_`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const dbAdmin = withDatabase(admin, name);
  const sql = (await readFile(ROLES_SQL, 'utf8')).replaceAll("'rcp_'", `'${prefix}'`);
  await adminQuery(dbAdmin, sql);
  const password = randomBytes(12).toString('hex');
  for (const s of ALL_SERVICES)
    await adminQuery(dbAdmin, `ALTER ROLE ${prefix}${s.token} PASSWORD '${password}'`);
  const role = (token: string) => `${prefix}${token}`;
  return {
    databaseUrl: dbAdmin,
    adminUrl: dbAdmin,
    role,
    urlFor(token) {
      const url = new URL(dbAdmin);
      url.username = role(token);
      url.password = password;
      return url.toString();
    },
    async stop() {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      for (const s of ALL_SERVICES) await adminQuery(admin, `DROP ROLE IF EXISTS ${role(s.token)}`);
    },
  };
}
