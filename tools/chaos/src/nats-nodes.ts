import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, startNatsServer, type NatsServerHandle } from '@rcp/infra';

/** One nats-server (or a 3-node cluster) on loopback whose nodes can be SIGKILLed and restarted. */
export interface NatsNodes {
  /** Comma-separated client URLs of every node. */
  url: string;
  nodes: NatsServerHandle[];
  /** SIGKILL node `index` (default 0); returns once it has exited. */
  kill(index?: number): Promise<void>;
  /** Starts node `index` again on the same port and store. */
  restart(index?: number): Promise<void>;
  stop(): Promise<void>;
}

interface NodePlan {
  storeDir: string;
  port: number;
  clusterPort?: number;
  name: string;
}

async function planNodes(count: number, label: string): Promise<NodePlan[]> {
  const plans: NodePlan[] = [];
  for (let i = 0; i < count; i++) {
    const storeDir = await mkdtemp(path.join(os.tmpdir(), `rcp-chaos-${label}-n${i}-`));
    const port = await findFreePort();
    const clusterPort = count > 1 ? await findFreePort() : undefined;
    plans.push({ storeDir, port, clusterPort, name: `chaos-${label}-${i}-${port}` });
  }
  return plans;
}

function startNode(plans: NodePlan[], i: number): Promise<NatsServerHandle> {
  const plan = plans[i];
  const binary = process.env.RCP_NATS_SERVER_BIN;
  const cluster =
    plans.length > 1
      ? {
          name: 'rcp-chaos',
          port: plan.clusterPort!,
          routes: plans
            .filter((_, j) => j !== i)
            .map((other) => `nats://127.0.0.1:${other.clusterPort}`),
        }
      : undefined;
  return startNatsServer({
    storeDir: plan.storeDir,
    port: plan.port,
    serverName: plan.name,
    binary,
    cluster,
    startTimeoutMs: 30_000,
  });
}

/** Starts `count` nodes (1, or 3 for a JetStream cluster; cluster nodes start together to form a quorum). */
export async function startNatsNodes(count: number, label: string): Promise<NatsNodes> {
  const plans = await planNodes(count, label);
  const nodes = await Promise.all(plans.map((_, i) => startNode(plans, i)));
  const dead = new Set<number>();
  return {
    url: plans.map((p) => `nats://127.0.0.1:${p.port}`).join(','),
    nodes,
    async kill(index = 0) {
      nodes[index].kill('SIGKILL');
      await nodes[index].stop(5_000);
      dead.add(index);
    },
    async restart(index = 0) {
      nodes[index] = await startNode(plans, index);
      dead.delete(index);
    },
    async stop() {
      await Promise.all(nodes.map((n, i) => (dead.has(i) ? undefined : n.stop())));
      await Promise.all(plans.map((p) => rm(p.storeDir, { recursive: true, force: true })));
    },
  };
}
