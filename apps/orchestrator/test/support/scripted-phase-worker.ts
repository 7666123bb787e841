import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  STREAMS,
  type CommunityCountersDto,
  type CommunityPhaseRequested,
  type EventEnvelope,
} from '@rcp/contracts';

export type ScriptedOutcome =
  | { ok: true; counters?: CommunityCountersDto }
  | { ok: false; code?: string; message?: string; retryable?: boolean }
  | { silent: true };

export interface ScriptedWorker {
  /** Every request received, in order. */
  requests: CommunityPhaseRequested[];
  /** Most requests held at once (answers are delayed by `holdMs`). */
  maxConcurrent(): number;
  stop(): Promise<void>;
}

/**
 * Stands in for the phase owners in orchestrator tests: answers every CommunityPhaseRequested as
 * discovery would, with `CommunityPhaseCompleted` or `CommunityPhaseFailed` on
 * `events.discovery.<type>.<STATE>`, decided by `script`.
 */
export async function startScriptedWorker(
  nc: NatsConnection,
  script: (request: CommunityPhaseRequested) => ScriptedOutcome,
  options: { holdMs?: number; name?: string } = {},
): Promise<ScriptedWorker> {
  const durable = options.name ?? 'scripted-worker';
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(STREAMS.events, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    filter_subject: 'events.orchestrator.CommunityPhaseRequested.*',
    max_ack_pending: 10_000,
  });
  const js = jetstream(nc);
  const requests: CommunityPhaseRequested[] = [];
  let held = 0;
  let maxHeld = 0;
  const pending = new Set<Promise<void>>();
  const consumer = await js.consumers.get(STREAMS.events, durable);
  const messages: ConsumerMessages = await consumer.consume({
    callback: (msg) => {
      const request = msg.json<EventEnvelope<CommunityPhaseRequested>>().data;
      requests.push(request);
      held += 1;
      maxHeld = Math.max(maxHeld, held);
      const task = answer(request).finally(() => {
        msg.ack();
        pending.delete(task);
      });
      pending.add(task);
    },
  });

  async function answer(request: CommunityPhaseRequested): Promise<void> {
    if (options.holdMs) await new Promise((resolve) => setTimeout(resolve, options.holdMs));
    const outcome = script(request);
    // The request stops being held when its answer leaves (a silent one stays held).
    if ('silent' in outcome) return;
    held -= 1;
    const type = outcome.ok ? 'CommunityPhaseCompleted' : 'CommunityPhaseFailed';
    const base = {
      communityRolloutId: request.communityRolloutId,
      stateRolloutId: request.stateRolloutId,
      communityId: request.communityId,
      stateCode: request.stateCode,
      phase: request.phase,
      attempt: request.attempt,
    };
    const data = outcome.ok
      ? {
          ...base,
          counters: outcome.counters ?? { businessesDiscovered: 3 },
          completedAt: new Date().toISOString(),
        }
      : {
          ...base,
          error: {
            code: outcome.code ?? 'SCRIPTED_FAILURE',
            message: outcome.message ?? 'scripted failure',
          },
          retryable: outcome.retryable ?? true,
          failedAt: new Date().toISOString(),
        };
    const envelope: EventEnvelope = {
      id: randomUUID(),
      type,
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'discovery',
      aggregate: { type: 'CommunityPhase', id: request.communityRolloutId, version: 1 },
      correlationId: request.communityRolloutId,
      causationId: null,
      actor: 'scripted-worker',
      data,
    };
    await js.publish(`events.discovery.${type}.${request.stateCode}`, JSON.stringify(envelope), {
      msgID: envelope.id,
    });
  }

  return {
    requests,
    maxConcurrent: () => maxHeld,
    async stop() {
      await messages.close();
      await Promise.allSettled([...pending]);
    },
  };
}
