import type { RolloutSettingsDto } from '@rcp/contracts';
import { deterministicUuid } from '@rcp/domain';
import type { CommandSession } from '@rcp/eventing';
import type { CommunityRolloutState } from '../../domain/community-rollout/community-rollout';
import {
  communityRolloutDecider,
  type CommunityRolloutCommand,
} from '../../domain/community-rollout/community-rollout.decide';
import {
  stateRolloutDecider,
  type StateRolloutCommand,
} from '../../domain/state-rollout/state-rollout.decide';
import type { StateRolloutState } from '../../domain/state-rollout/state-rollout';
import type { OrchestratorConfig } from './orchestrator-config';

export const TIMER_KINDS = {
  deadline: 'phase-deadline',
  retry: 'phase-retry',
  dispatch: 'dispatch',
} as const;

type Settings = Required<Pick<RolloutSettingsDto, 'batchSize' | 'throttleMs' | 'skipEnrichment'>>;

/**
 * The process manager's moves, each inside the caller's command transaction: decide on a
 * community or state aggregate, keep the timers that follow from the new events, dispatch up to
 * the batch size, and complete a state whose communities have all ended.
 */
export class RolloutEngine {
  constructor(readonly config: OrchestratorConfig) {}

  async community(
    session: CommandSession,
    id: string,
    command: CommunityRolloutCommand,
  ): Promise<CommunityRolloutState> {
    const { events, state } = await session.decide(
      { aggregateType: 'CommunityRollout', aggregateId: id },
      communityRolloutDecider,
      command,
      (e) => e.data.stateCode,
    );
    for (const event of events) {
      if (event.type === 'CommunityPhaseRequested') {
        const { phase, attempt, deadline } = event.data as {
          phase: number;
          attempt: number;
          deadline: string;
        };
        await session.schedule({
          timerId: deterministicUuid(`deadline:${id}:${phase}:${attempt}`),
          kind: TIMER_KINDS.deadline,
          dueAt: new Date(deadline),
          payload: { communityRolloutId: id, phase, attempt, deadline },
        });
      }
      if (event.type === 'CommunityRetryScheduled') {
        const { phase, failedAttempt, retryAt } = event.data as {
          phase: number;
          failedAttempt: number;
          retryAt: string;
        };
        await session.schedule({
          timerId: deterministicUuid(`retry:${id}:${phase}:${failedAttempt}`),
          kind: TIMER_KINDS.retry,
          dueAt: new Date(retryAt),
          payload: { communityRolloutId: id, phase, attempt: failedAttempt },
        });
      }
    }
    return state;
  }

  async state(
    session: CommandSession,
    id: string,
    command: StateRolloutCommand,
  ): Promise<StateRolloutState> {
    const { state } = await session.decide(
      { aggregateType: 'StateRollout', aggregateId: id },
      stateRolloutDecider,
      command,
      (_e, s) => s.stateCode,
    );
    return state;
  }

  /** After a community moved: it may have freed a slot, or been the last one. */
  async afterCommunity(session: CommandSession, community: CommunityRolloutState): Promise<void> {
    if (!community.ref || !['completed', 'failed', 'paused'].includes(community.status)) return;
    await this.dispatchNext(session, community.ref.stateRolloutId);
    await this.checkCompletion(session, community.ref.stateRolloutId);
  }

  /** Dispatches queued communities (priority first) while fewer than `batchSize` are in flight. */
  async dispatchNext(session: CommandSession, stateRolloutId: string): Promise<void> {
    const { tx, now } = session;
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dispatch:${stateRolloutId}`]);
    const [rollout] = await tx.query<{ status: string; settings: Settings }>(
      'SELECT status, settings FROM state_rollouts WHERE id = $1',
      [stateRolloutId],
    );
    if (rollout?.status !== 'in_progress') return;
    const { batchSize, throttleMs, skipEnrichment } = rollout.settings;
    const [{ n: inFlight }] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM community_rollouts WHERE state_rollout_id = $1 AND status LIKE 'phase_%'`,
      [stateRolloutId],
    );
    let capacity = batchSize - inFlight;
    if (capacity <= 0 || !(await this.throttleAllows(session, stateRolloutId, throttleMs))) return;
    if (throttleMs > 0) capacity = 1;
    let endedAtOnce = false;
    while (capacity > 0) {
      const [next] = await tx.query<{
        id: string;
        name: string;
        latitude: number | null;
        longitude: number | null;
        population: number | null;
        county: string | null;
      }>(
        `SELECT c.id, m.name, m.latitude, m.longitude, m.population, m.county FROM community_rollouts c JOIN communities m ON m.id = c.community_id
          WHERE c.state_rollout_id = $1 AND c.status = 'queued' ORDER BY c.priority NULLS LAST, c.queue_position LIMIT 1`,
        [stateRolloutId],
      );
      if (!next) break;
      const { id, ...community } = next;
      const state = await this.community(session, id, {
        type: 'Dispatch',
        community,
        skipEnrichment,
        gate: this.config.qualityGate,
        deadlineMs: this.config.phaseDeadlineMs,
        now,
      });
      if (state.status === 'failed') endedAtOnce = true;
      else capacity -= 1;
    }
    if (throttleMs > 0)
      await this.holdThrottle(
        session,
        stateRolloutId,
        new Date(now.getTime() + throttleMs),
        batchSize - inFlight > 1,
      );
    if (endedAtOnce) await this.checkCompletion(session, stateRolloutId);
  }

  /** With a throttle, one dispatch per `throttleMs`; an early call leaves it to the pending timer. */
  private async throttleAllows(
    session: CommandSession,
    stateRolloutId: string,
    throttleMs: number,
  ): Promise<boolean> {
    if (throttleMs <= 0) return true;
    const [row] = await session.tx.query<{ next_dispatch_at: Date }>(
      'SELECT next_dispatch_at FROM dispatch_throttle WHERE state_rollout_id = $1',
      [stateRolloutId],
    );
    if (!row || row.next_dispatch_at <= session.now) return true;
    await this.scheduleDispatch(session, stateRolloutId, row.next_dispatch_at);
    return false;
  }

  private async holdThrottle(
    session: CommandSession,
    stateRolloutId: string,
    until: Date,
    moreRoom: boolean,
  ): Promise<void> {
    await session.tx.query(
      `INSERT INTO dispatch_throttle (state_rollout_id, next_dispatch_at) VALUES ($1, $2)
       ON CONFLICT (state_rollout_id) DO UPDATE SET next_dispatch_at = EXCLUDED.next_dispatch_at`,
      [stateRolloutId, until.toISOString()],
    );
    if (moreRoom) await this.scheduleDispatch(session, stateRolloutId, until);
  }

  private async scheduleDispatch(
    session: CommandSession,
    stateRolloutId: string,
    at: Date,
  ): Promise<void> {
    // keep: a timer for this instant may be firing right now; never wait on its row.
    await session.schedule({
      timerId: deterministicUuid(`dispatch:${stateRolloutId}:${at.getTime()}`),
      kind: TIMER_KINDS.dispatch,
      dueAt: at,
      payload: { stateRolloutId },
      onConflict: 'keep',
    });
  }

  /** Completes the state rollout once no community is queued, paused or in flight. */
  async checkCompletion(session: CommandSession, stateRolloutId: string): Promise<void> {
    // The inline counters say cheaply whether every community has ended; only then sum it all up.
    const [counts] = await session.tx.query<{ ended: boolean }>(
      `SELECT completed_communities + failed_communities >= total_communities AS ended FROM state_rollouts WHERE id = $1`,
      [stateRolloutId],
    );
    if (!counts?.ended) return;
    const [row] = await session.tx.query<{
      open: number;
      total: number;
      completed: number;
      failed: number;
      businesses: number;
      sources: number;
      status: string;
    }>(
      `SELECT count(*) FILTER (WHERE c.status NOT IN ('completed', 'failed'))::int AS open, count(*)::int AS total,
              count(*) FILTER (WHERE c.status = 'completed')::int AS completed, count(*) FILTER (WHERE c.status = 'failed')::int AS failed,
              COALESCE(sum(c.businesses_discovered), 0)::int AS businesses, COALESCE(sum(c.news_sources_created), 0)::int AS sources, s.status
         FROM state_rollouts s LEFT JOIN community_rollouts c ON c.state_rollout_id = s.id WHERE s.id = $1 GROUP BY s.status`,
      [stateRolloutId],
    );
    if (!row || row.open > 0 || !['in_progress', 'paused'].includes(row.status)) return;
    const [{ cost }] = await session.tx.query<{ cost: string }>(
      'SELECT COALESCE(sum(api_cost_estimate), 0)::text AS cost FROM community_costs WHERE state_rollout_id = $1',
      [stateRolloutId],
    );
    const totals = {
      totalCommunities: row.total,
      completedCommunities: row.completed,
      failedCommunities: row.failed,
      totalBusinessesDiscovered: row.businesses,
      totalNewsSourcesCreated: row.sources,
      totalApiCost: cost,
    };
    await this.state(session, stateRolloutId, { type: 'Complete', totals, now: session.now });
  }
}
