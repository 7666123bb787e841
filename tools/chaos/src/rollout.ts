import { randomUUID } from 'node:crypto';
import type { CommunityRolloutView, Reply, StateProgressReply } from '@rcp/contracts';
import { request, type NatsConnection } from '@rcp/messaging';
import { seededRandom } from './seeded-random';

export interface RolloutPlan {
  stateCode: string;
  communities: number;
  /** Seeds the synthetic communities (names, populations, coordinates). */
  seed: string;
  batchSize: number;
}

/** Sends a request and retries it (same commandId) while the service is down or the reply times out. */
export async function requestRetrying<T>(
  nc: NatsConnection,
  subject: string,
  payload: Record<string, unknown>,
  timeoutMs = 120_000,
): Promise<Reply<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const reply = await request<T>(nc, subject, payload, 10_000);
      if (reply.ok || !['UNAVAILABLE', 'TIMEOUT'].includes(reply.error.code)) return reply;
      if (Date.now() > deadline) return reply;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function ok<T>(reply: Promise<Reply<T>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.data;
}

/** Synthetic communities: small towns (so a community is a few dozen businesses), seeded. */
export function syntheticCommunities(plan: RolloutPlan) {
  const rand = seededRandom(`communities:${plan.seed}`);
  return Array.from({ length: plan.communities }, (_, i) => ({
    name: `${plan.stateCode} Chaos Town ${String(i + 1).padStart(4, '0')}`,
    stateCode: plan.stateCode,
    population: Math.floor(rand() * 900),
    externalId: `chaos-${plan.seed}-${i + 1}`,
    latitude: Math.round((30 + rand() * 10) * 1e5) / 1e5,
    longitude: Math.round((-100 + rand() * 10) * 1e5) / 1e5,
  }));
}

const command = (name: string, payload: Record<string, unknown>) => ({
  subject: `cmd.orchestrator.${name}`,
  payload: { commandId: randomUUID(), actor: 'chaos-driver', ...payload },
});

/** Imports the communities and starts the state rollout; returns its id. */
export async function startRollout(nc: NatsConnection, plan: RolloutPlan): Promise<string> {
  const rows = syntheticCommunities(plan);
  const imp = command('ImportCommunities', { format: 'json', rows, source: 'chaos' });
  await ok(requestRetrying(nc, imp.subject, imp.payload));
  const start = command('StartStateRollout', {
    stateCode: plan.stateCode,
    initiatedBy: 'chaos-driver',
    settings: { batchSize: plan.batchSize, throttleMs: 0, skipEnrichment: false },
  });
  const data = await ok(
    requestRetrying<{ stateRolloutId: string }>(nc, start.subject, start.payload),
  );
  return data.stateRolloutId;
}

export const progress = (nc: NatsConnection, stateRolloutId: string) =>
  ok(
    requestRetrying<StateProgressReply>(nc, 'qry.orchestrator.GetStateProgress', {
      stateRolloutId,
    }),
  );

/** Waits until the state rollout is completed (every community terminal), or throws after `timeoutMs`. */
export async function waitCompleted(
  nc: NatsConnection,
  stateRolloutId: string,
  timeoutMs: number,
  onTick?: (p: StateProgressReply) => void,
): Promise<StateProgressReply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await progress(nc, stateRolloutId).catch(() => null);
    if (p) onTick?.(p);
    if (p?.status === 'completed') return p;
    if (Date.now() > deadline)
      throw new Error(
        `rollout not completed in ${timeoutMs} ms: ${JSON.stringify(p?.statusBreakdown)}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function listCommunityRollouts(
  nc: NatsConnection,
  stateRolloutId: string,
): Promise<CommunityRolloutView[]> {
  const out: CommunityRolloutView[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await ok(
      requestRetrying<{ items: CommunityRolloutView[]; total: number }>(
        nc,
        'qry.orchestrator.ListCommunityRollouts',
        { stateRolloutId, limit: 1000, offset },
      ),
    );
    out.push(...page.items);
    if (page.items.length < 1000) return out;
  }
}
