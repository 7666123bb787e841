import { consoleLog } from '@rcp/infra';
import { findRepoRoot } from './repo-root';
import { shutdownSignal } from './signals';
import { startSystem } from './system';

const log = consoleLog;

async function main(): Promise<void> {
  const signal = shutdownSignal(log);
  const system = await startSystem({ repoRoot: findRepoRoot(), log });
  log(`\n${system.describe()}\n\nAll services are healthy. Press Ctrl+C to stop.`);
  log(`[launcher] ${await signal} received; stopping services, then infrastructure`);
  await system.stop();
  log('[launcher] stopped');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[launcher] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
