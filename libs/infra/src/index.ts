export { findFreePort, isPortFree, pickPort } from './free-port';
export { waitFor, withTimeout, type WaitForOptions } from './wait-for';
export { consoleLog, silentLog, type Log } from './log';
export {
  describeExit,
  killAfter,
  killOnExit,
  terminate,
  waitForExit,
  type ExitInfo,
} from './child-process';
export { ensureNatsServerBinary, findExecutable, NATS_INSTALL_COMMAND } from './nats-binary';
export { isJetStreamReady, isNatsReachable } from './nats-readiness';
export { reclaimStaleServer } from './stale-process';
export {
  startNatsServer,
  type NatsClusterOptions,
  type NatsServerHandle,
  type NatsServerOptions,
} from './nats-server';
export {
  startEmbeddedPostgres,
  type EmbeddedPostgresStartOptions,
  type PostgresHandle,
} from './embedded-postgres';
export { ensureDatabase, isPostgresReachable, redactUrl, withDatabase } from './postgres-admin';
export {
  resolveInfrastructure,
  DEFAULT_DATABASE,
  DEFAULT_NATS_PORT,
  DEFAULT_PG_PORT,
  type Infrastructure,
  type InfrastructureOptions,
} from './infrastructure';
