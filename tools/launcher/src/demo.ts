import { parseArgs } from 'node:util';
import { US_STATE_CODES } from '@rcp/contracts';
import { consoleLog } from '@rcp/infra';
import { startTelemetry, stopTelemetry } from '@rcp/telemetry';
import { runDemoRollout, summaryLines } from './demo-rollout';
import { findRepoRoot } from './repo-root';
import { shutdownSignal } from './signals';
import { startSystem, type RunningSystem } from './system';

const log = consoleLog;
const USAGE = 'usage: npm run demo -- [--state RI] [--batch-size 10] [--timeout-s 900]';

function options() {
  const { values } = parseArgs({
    options: {
      state: { type: 'string', default: 'RI' },
      'batch-size': { type: 'string', default: '10' },
      'timeout-s': { type: 'string', default: '900' },
    },
  });
  const stateCode = values.state!.toUpperCase();
  const batchSize = Number(values['batch-size']);
  const timeoutMs = Number(values['timeout-s']) * 1000;
  if (!(US_STATE_CODES as readonly string[]).includes(stateCode))
    throw new Error(`--state ${values.state} is not one of the 50 states or DC\n${USAGE}`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500)
    throw new Error(`--batch-size must be 1-500\n${USAGE}`);
  if (!(timeoutMs > 0)) throw new Error(`--timeout-s must be a number of seconds\n${USAGE}`);
  return { stateCode, batchSize, timeoutMs };
}

async function shutDown(system: RunningSystem): Promise<void> {
  log('[demo] shutting down: services first, then infrastructure');
  await system.stop();
  log('[demo] done');
}

/** Starts what is missing, all five services, rolls a real state out through all six phases, and summarises. */
async function main(): Promise<number> {
  const demo = options();
  startTelemetry('demo');
  process.env.LOG_LEVEL ??= 'warn';
  let interrupted = false;
  void shutdownSignal(log).then((signal) => {
    interrupted = true;
    log(`[demo] ${signal} received; stopping`);
  });
  const system = await startSystem({ repoRoot: findRepoRoot(), log });
  try {
    log(`\n${system.describe()}\n`);
    if (interrupted) return 130;
    const summary = await runDemoRollout(
      system.infra.natsUrl,
      { ...demo, interrupted: () => interrupted },
      log,
    );
    log(`\n${summaryLines(summary).join('\n')}\n`);
    return summary.progress.status === 'completed' ? 0 : 1;
  } finally {
    await shutDown(system);
    await stopTelemetry();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
