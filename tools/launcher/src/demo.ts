import { consoleLog } from '@rcp/infra';
import { findRepoRoot } from './repo-root';
import { shutdownSignal } from './signals';
import { startSystem, type RunningSystem } from './system';

const log = consoleLog;

function showHealthy(system: RunningSystem): void {
  log(`\n${system.describe()}\n`);
  log('The Rollout Control Plane is up: all five services answered their health query.');
}

async function shutDown(system: RunningSystem): Promise<void> {
  log('[demo] shutting down: services first, then infrastructure');
  await system.stop();
  log('[demo] done');
}

async function main(): Promise<number> {
  let interrupted = false;
  void shutdownSignal(log).then((signal) => {
    interrupted = true;
    log(`[demo] ${signal} received; stopping once start-up has finished`);
  });
  const system = await startSystem({ repoRoot: findRepoRoot(), log });
  try {
    if (!interrupted) showHealthy(system);
  } finally {
    await shutDown(system);
  }
  return interrupted ? 130 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
