import { baselineChecks, consistencyChecks } from '../tools/chaos/src/checks';
import { runRollout, type RunOptions } from '../tools/chaos/src/chaos-run';

// No injected errors: every call answers, so the two runs must agree on every counter.
const options = (label: string, replicas: number): RunOptions => ({
  system: { label, replicas, postgres: 'shared' },
  rollout: { stateCode: 'ME', communities: 10, seed: 'replicas', batchSize: 4 },
  errorRate: 0,
  timeoutMs: 120_000,
});

describe('replicas: two processes of every service sharing its consumers', () => {
  it('give the same projections as one process of each', async () => {
    const [one, two] = await Promise.all([
      runRollout(options('replicas_one', 1)),
      runRollout(options('replicas_two', 2)),
    ]);
    expect(consistencyChecks(one.snapshot).filter((c) => !c.ok)).toEqual([]);
    expect(consistencyChecks(two.snapshot).filter((c) => !c.ok)).toEqual([]);
    expect(baselineChecks(two.snapshot, one.snapshot, true).filter((c) => !c.ok)).toEqual([]);
    expect(two.snapshot.communities).toEqual(one.snapshot.communities);
  }, 150_000);
});
