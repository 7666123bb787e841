import {
  baselineChecks,
  consistencyChecks,
  failureReasons,
  formatChecks,
} from '../tools/chaos/src/checks';
import { runRollout, type RunOptions } from '../tools/chaos/src/chaos-run';

// The short chaos variant of `npm run test:chaos` (see docs/faults.md): a small rollout with 5 %
// injected Places errors, stretched by simulated latency so the kills land mid-rollout, under
// SIGKILLs of random services, of NATS and of a private embedded PostgreSQL; the undisturbed run
// with the same seed runs alongside.
const SEED = 'e2e-chaos';
const base = (label: string, postgres: 'embedded' | 'shared'): RunOptions => ({
  system: { label, postgres, env: { SIM_PLACES_LATENCY_MS: '150' } },
  rollout: { stateCode: 'RI', communities: 16, seed: SEED, batchSize: 4 },
  errorRate: 0.05,
  timeoutMs: 150_000,
});

describe('chaos (short): SIGKILLs of services, NATS and PostgreSQL mid-rollout', () => {
  it('ends with every community terminal, no usage lost or double-counted, and the undisturbed outcome', async () => {
    const lines: string[] = [];
    const [baseline, chaos] = await Promise.all([
      runRollout(base('e2e_calm', 'shared')),
      runRollout({
        ...base('e2e_chaos', 'embedded'),
        kills: {
          // One service, then NATS, then PostgreSQL: all three kinds while the rollout still runs.
          serviceKills: 1,
          killNats: true,
          killPostgres: true,
          intervalMs: [500, 1_500],
          downMs: [100, 800],
          seed: SEED,
        },
        log: (line) => lines.push(line),
      }),
    ]);
    const checks = [
      ...consistencyChecks(baseline.snapshot),
      ...consistencyChecks(chaos.snapshot),
      ...baselineChecks(chaos.snapshot, baseline.snapshot, false),
    ];
    const table = formatChecks('short chaos run', checks);
    console.log(
      [
        ...lines,
        table,
        `failed by last error: ${JSON.stringify(failureReasons(chaos.snapshot))}`,
      ].join('\n'),
    );
    expect({ table, kills: chaos.report.kills.length, log: lines }).toEqual({
      table: table.replace(/^FAIL/gm, 'ok  '),
      kills: 3,
      log: lines,
    });
    expect(chaos.snapshot.usageEvents).toBeGreaterThan(100);
    // A service must survive a PostgreSQL restart (it reconnects); an exit here is a crash.
    expect(chaos.report.unexpectedExits).toEqual([]);
  }, 170_000);
});
