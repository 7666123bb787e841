import { consistencyChecks } from '../tools/chaos/src/checks';
import { runRollout } from '../tools/chaos/src/chaos-run';

describe('NATS cluster: 3 nodes on loopback, R3 streams', () => {
  it('completes a rollout with every check green after one node is SIGKILLed mid-rollout', async () => {
    const lines: string[] = [];
    const result = await runRollout({
      system: {
        label: 'cluster',
        natsNodes: 3,
        postgres: 'shared',
        env: { SIM_PLACES_LATENCY_MS: '20' },
      },
      rollout: { stateCode: 'NH', communities: 10, seed: 'cluster', batchSize: 3 },
      errorRate: 0.05,
      killClusterNodeAfter: 2,
      timeoutMs: 120_000,
      log: (line) => lines.push(line),
    });
    expect(result.clusterNodeKilled).toBe(true);
    expect(consistencyChecks(result.snapshot).filter((c) => !c.ok)).toEqual([]);
    expect(result.snapshot.totalCommunities).toBe(10);
  }, 150_000);
});
