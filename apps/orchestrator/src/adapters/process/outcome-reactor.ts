import type {
  BudgetExceeded,
  CommunityPhaseCompleted,
  CommunityPhaseFailed,
  EventEnvelope,
} from '@rcp/contracts';
import type { CommandSession } from '@rcp/eventing';
import type { RolloutCommands } from './rollout-commands';
import type { RolloutEngine } from './rollout-engine';

/**
 * Reactions to other services' events: phase answers from the phase owners move a community on;
 * a spent budget (ledger) pauses the state rollout. Answers for cancelled rollouts are ignored.
 */
export class OutcomeReactor {
  constructor(
    private readonly engine: RolloutEngine,
    private readonly commands: RolloutCommands,
  ) {}

  async onEvent(session: CommandSession, envelope: EventEnvelope): Promise<void> {
    switch (envelope.type) {
      case 'CommunityPhaseCompleted':
        return this.completed(session, envelope.data as CommunityPhaseCompleted);
      case 'CommunityPhaseFailed':
        return this.failed(session, envelope.data as CommunityPhaseFailed);
      case 'BudgetExceeded': {
        const data = envelope.data as BudgetExceeded;
        await this.commands.pause(
          session,
          { stateRolloutId: data.stateRolloutId },
          'budget_exceeded',
          `budget ${data.budget} exceeded: spent ${data.spent}`,
        );
        return;
      }
    }
  }

  /** The answer's rollout status and the community's cost so far, in one query. */
  private async context(session: CommandSession, communityRolloutId: string) {
    const [row] = await session.tx.query<{ status: string; cost: string | null }>(
      `SELECT s.status, k.api_cost_estimate::text AS cost FROM community_rollouts c JOIN state_rollouts s ON s.id = c.state_rollout_id
         LEFT JOIN community_costs k ON k.community_rollout_id = c.id WHERE c.id = $1`,
      [communityRolloutId],
    );
    return { live: !!row && row.status !== 'cancelled', cost: row?.cost ?? '0' };
  }

  private async completed(session: CommandSession, data: CommunityPhaseCompleted): Promise<void> {
    const { live, cost } = await this.context(session, data.communityRolloutId);
    if (!live) return;
    const { qualityGate, phaseDeadlineMs } = this.engine.config;
    const state = await this.engine.community(session, data.communityRolloutId, {
      type: 'RecordPhaseCompleted',
      phase: data.phase,
      attempt: data.attempt,
      counters: data.counters,
      gate: qualityGate,
      apiCostEstimate: cost,
      deadlineMs: phaseDeadlineMs,
      now: session.now,
    });
    await this.engine.afterCommunity(session, state);
  }

  private async failed(session: CommandSession, data: CommunityPhaseFailed): Promise<void> {
    if (!(await this.context(session, data.communityRolloutId)).live) return;
    const state = await this.engine.community(session, data.communityRolloutId, {
      type: 'RecordPhaseFailed',
      phase: data.phase,
      attempt: data.attempt,
      error: data.error,
      retryable: data.retryable,
      policy: this.engine.config.retry,
      now: session.now,
    });
    if (state.status === 'paused' && state.ref) {
      await this.commands.pause(
        session,
        { stateRolloutId: state.ref.stateRolloutId },
        'quota_exceeded',
        `${data.error.code}: ${data.error.message}`,
      );
    }
    await this.engine.afterCommunity(session, state);
  }
}
