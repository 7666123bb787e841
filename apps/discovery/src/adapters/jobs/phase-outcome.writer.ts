import type { CommunityPhaseRequested } from '@rcp/contracts';
import type { CommandSession, ServiceRuntime } from '@rcp/eventing';
import type { PendingEvent, StreamRef } from '@rcp/persistence';
import {
  communityPhaseDecider,
  type CommunityPhaseCommand,
} from '../../domain/community-phase/community-phase.decide';
import { uuidFrom, type PhaseWork } from '../phases/phase-work';
import type { PhaseJobStore } from './phase-job.store';

/** Appends at the stream's current version (a concurrent writer makes the executor retry). */
async function appendNext(
  session: CommandSession,
  ref: StreamRef,
  events: PendingEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const [{ current }] = await session.tx.query<{ current: number }>(
    'SELECT COALESCE(MAX(stream_version), 0)::int AS current FROM events WHERE stream_id = $1',
    [`${ref.aggregateType}-${ref.aggregateId}`],
  );
  await session.append(ref, current, events);
}

function answerCommand(
  job: CommunityPhaseRequested,
  work: PhaseWork,
  now: Date,
  durationMs: number,
): CommunityPhaseCommand {
  const base = { request: job, now, durationMs };
  return work.outcome.type === 'complete'
    ? {
        type: 'CompletePhase',
        ...base,
        counters: work.outcome.counters,
        warnings: work.outcome.warnings,
      }
    : {
        type: 'FailPhase',
        ...base,
        error: work.outcome.error,
        retryable: work.outcome.retryable,
        counters: work.outcome.counters,
      };
}

/**
 * Commits what a phase produced and its answer in one transaction, once per (rollout, phase,
 * attempt): the facts (usage, businesses, news sources, seeding) on their streams, the answer
 * decided on `CommunityRollout-<id>`, and the job marked done. A repeat returns the stored reply.
 */
export async function writePhaseOutcome(
  runtime: ServiceRuntime,
  jobs: PhaseJobStore,
  job: CommunityPhaseRequested,
  work: PhaseWork,
  durationMs: number,
): Promise<string> {
  const id = job.communityRolloutId;
  const stateCode = job.stateCode;
  const pending = <T extends { type: string; data: object }>(events: T[]): PendingEvent[] =>
    events.map((e) => ({ type: e.type, data: e.data, stateCode }));
  const commandId = uuidFrom(`answer:${id}:${job.phase}:${job.attempt}`);
  const payload = { communityRolloutId: id, phase: job.phase, attempt: job.attempt };
  const reply = await runtime.executor.execute(
    { commandId, name: 'AnswerCommunityPhase', actor: 'discovery', payload },
    async (session) => {
      await appendNext(
        session,
        { aggregateType: 'ApiUsage', aggregateId: id },
        work.usage.map((data) => ({ type: 'ApiUsageRecorded', data, stateCode })),
      );
      await appendNext(
        session,
        { aggregateType: 'Business', aggregateId: id },
        pending(work.businessEvents),
      );
      await appendNext(
        session,
        { aggregateType: 'NewsSource', aggregateId: id },
        work.newsSources.map((data) => ({ type: 'NewsSourceCreated', data, stateCode })),
      );
      await appendNext(
        session,
        { aggregateType: 'CommunityRollout', aggregateId: id },
        pending(work.seedingEvents),
      );
      const command = answerCommand(job, work, session.now, durationMs);
      const { events } = await session.decide(
        { aggregateType: 'CommunityRollout', aggregateId: id },
        communityPhaseDecider,
        command,
        () => stateCode,
      );
      const answer = events[0]?.type ?? 'AlreadyAnswered';
      await jobs.markDone(session.tx, job, answer);
      return { answer };
    },
  );
  return reply.answer;
}
