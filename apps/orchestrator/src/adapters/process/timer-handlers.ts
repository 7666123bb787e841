import type { Phase } from '@rcp/contracts';
import type { CommandSession, DueTimer } from '@rcp/eventing';
import type { RolloutEngine } from './rollout-engine';

interface PhaseTimerPayload {
  communityRolloutId: string;
  phase: Phase;
  attempt: number;
  deadline?: string;
}

/** What each durable timer does when it fires (stale timers decide nothing). */
export class TimerHandlers {
  constructor(private readonly engine: RolloutEngine) {}

  async deadline(session: CommandSession, timer: DueTimer): Promise<void> {
    const p = timer.payload as unknown as PhaseTimerPayload;
    if (!(await this.live(session, p.communityRolloutId))) return;
    const state = await this.engine.community(session, p.communityRolloutId, {
      type: 'TimeOutPhase',
      phase: p.phase,
      attempt: p.attempt,
      deadline: p.deadline!,
      policy: this.engine.config.retry,
      now: session.now,
    });
    await this.engine.afterCommunity(session, state);
  }

  async retry(session: CommandSession, timer: DueTimer): Promise<void> {
    const p = timer.payload as unknown as PhaseTimerPayload;
    if (!(await this.live(session, p.communityRolloutId))) return;
    await this.engine.community(session, p.communityRolloutId, {
      type: 'RetryPhase',
      phase: p.phase,
      attempt: p.attempt,
      deadlineMs: this.engine.config.phaseDeadlineMs,
      now: session.now,
    });
  }

  async dispatch(session: CommandSession, timer: DueTimer): Promise<void> {
    await this.engine.dispatchNext(
      session,
      (timer.payload as { stateRolloutId: string }).stateRolloutId,
    );
  }

  private async live(session: CommandSession, communityRolloutId: string): Promise<boolean> {
    const [row] = await session.tx.query<{ status: string }>(
      'SELECT s.status FROM community_rollouts c JOIN state_rollouts s ON s.id = c.state_rollout_id WHERE c.id = $1',
      [communityRolloutId],
    );
    return !!row && row.status !== 'cancelled';
  }
}
