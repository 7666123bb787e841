// eslint-disable-next-line @nx/enforce-module-boundaries -- Jest loads global setup without the alias map
import type { PostgresHandle } from '../../../infra/src';

/** Stops the embedded PostgreSQL if the setup had to start one. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __rcpPostgres?: PostgresHandle }).__rcpPostgres?.stop();
}
