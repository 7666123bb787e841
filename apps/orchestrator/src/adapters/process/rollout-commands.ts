import { randomUUID } from 'node:crypto';
import type { PauseCause, RolloutSettingsDto, StartStateRollout } from '@rcp/contracts';
import { ERROR_CODES, US_STATES, type UsStateCode } from '@rcp/contracts';
import { DomainError, InvalidTransitionError } from '@rcp/domain';
import type { CommandSession } from '@rcp/eventing';
import type { PendingEvent } from '@rcp/persistence';
import { initialCommunityRolloutState } from '../../domain/community-rollout/community-rollout';
import { communityRolloutDecider } from '../../domain/community-rollout/community-rollout.decide';
import type { RolloutEngine } from './rollout-engine';

export interface RolloutTarget {
  stateCode?: string;
  stateRolloutId?: string;
}

/** The use cases behind the orchestrator's commands, each inside the command's transaction. */
export class RolloutCommands {
  constructor(private readonly engine: RolloutEngine) {}

  async start(
    session: CommandSession,
    command: StartStateRollout,
  ): Promise<{ stateRolloutId: string; stateCode: string; totalCommunities: number }> {
    const { tx, now } = session;
    const stateCode = command.stateCode as UsStateCode;
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`state:${stateCode}`]);
    const [active] = await tx.query<{ id: string }>(
      `SELECT id FROM state_rollouts WHERE state_code = $1 AND status IN ('planned', 'in_progress') LIMIT 1`,
      [stateCode],
    );
    const communities = await tx.query<{ id: string; name: string }>(
      'SELECT id, name FROM communities WHERE state_code = $1 ORDER BY population DESC NULLS LAST, name',
      [stateCode],
    );
    const stateRolloutId = randomUUID();
    const state = await this.engine.state(session, stateRolloutId, {
      type: 'Start',
      stateRolloutId,
      stateCode,
      stateName: US_STATES[stateCode],
      settings: command.settings,
      communityCount: communities.length,
      activeRolloutId: active?.id ?? null,
      initiatedBy: command.initiatedBy,
      now,
    });
    const priorities = state.settings!.priorityCommunities;
    await session.appendNewStreams(
      communities.map((c) =>
        this.queued(stateRolloutId, stateCode, c, priorities.indexOf(c.id), now),
      ),
    );
    await this.engine.dispatchNext(session, stateRolloutId);
    return { stateRolloutId, stateCode, totalCommunities: communities.length };
  }

  private queued(
    stateRolloutId: string,
    stateCode: string,
    community: { id: string; name: string },
    priority: number,
    now: Date,
  ) {
    const communityRolloutId = randomUUID();
    const ref = { communityRolloutId, stateRolloutId, communityId: community.id, stateCode };
    const events = communityRolloutDecider.decide(
      {
        type: 'Queue',
        ref,
        communityName: community.name,
        priority: priority >= 0 ? priority : undefined,
        now,
      },
      initialCommunityRolloutState,
    );
    return {
      ref: { aggregateType: 'CommunityRollout', aggregateId: communityRolloutId },
      events: events.map((e): PendingEvent => ({ type: e.type, data: e.data, stateCode })),
    };
  }

  async pause(session: CommandSession, target: RolloutTarget, cause: PauseCause, reason?: string) {
    const id = await this.resolve(session, target);
    const state = await this.engine.state(session, id, {
      type: 'Pause',
      cause,
      reason,
      now: session.now,
    });
    if (state.status === 'paused') {
      for (const c of await this.communities(session, id, 'queued'))
        await this.engine.community(session, c, {
          type: 'Pause',
          reason: reason ?? cause,
          now: session.now,
        });
    }
    return this.summary(session, id);
  }

  async resume(session: CommandSession, target: RolloutTarget, reason?: string) {
    const id = await this.resolve(session, target);
    const [row] = await session.tx.query<{ state_code: string }>(
      'SELECT state_code FROM state_rollouts WHERE id = $1',
      [id],
    );
    await session.tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `state:${row.state_code}`,
    ]);
    const [other] = await session.tx.query<{ id: string }>(
      `SELECT id FROM state_rollouts WHERE state_code = $1 AND id <> $2 AND status IN ('planned', 'in_progress') LIMIT 1`,
      [row.state_code, id],
    );
    await this.engine.state(session, id, {
      type: 'Resume',
      reason,
      otherActiveRolloutId: other?.id ?? null,
      now: session.now,
    });
    for (const c of await this.communities(session, id, 'paused'))
      await this.engine.community(session, c, { type: 'Requeue', now: session.now });
    await this.engine.dispatchNext(session, id);
    await this.engine.checkCompletion(session, id);
    return this.summary(session, id);
  }

  async cancel(session: CommandSession, target: RolloutTarget, reason?: string) {
    const id = await this.resolve(session, target);
    await this.engine.state(session, id, { type: 'Cancel', reason, now: session.now });
    return this.summary(session, id);
  }

  async updateSettings(
    session: CommandSession,
    target: RolloutTarget,
    changes: RolloutSettingsDto,
    reason?: string,
  ) {
    const id = await this.resolve(session, target);
    await this.engine.state(session, id, {
      type: 'UpdateSettings',
      changes,
      reason,
      now: session.now,
    });
    await this.engine.dispatchNext(session, id);
    return this.summary(session, id);
  }

  async retryCommunity(session: CommandSession, communityRolloutId: string) {
    const [row] = await session.tx.query<{ state_rollout_id: string; state_status: string }>(
      'SELECT c.state_rollout_id, s.status AS state_status FROM community_rollouts c JOIN state_rollouts s ON s.id = c.state_rollout_id WHERE c.id = $1',
      [communityRolloutId],
    );
    if (!row)
      throw new DomainError(
        ERROR_CODES.NOT_FOUND,
        `community rollout ${communityRolloutId} not found`,
        [
          {
            field: 'communityRolloutId',
            message: 'no such community rollout',
            value: communityRolloutId,
          },
        ],
      );
    if (!['in_progress', 'paused'].includes(row.state_status))
      throw new InvalidTransitionError(
        `the state rollout is ${row.state_status}; start a new rollout instead`,
      );
    const state = await this.engine.community(session, communityRolloutId, {
      type: 'Requeue',
      now: session.now,
    });
    await this.engine.dispatchNext(session, row.state_rollout_id);
    return { communityRolloutId, status: state.status };
  }

  /** The rollout a command names: its id, or the latest rollout of its state. */
  async resolve(session: CommandSession, target: RolloutTarget): Promise<string> {
    const rows = target.stateRolloutId
      ? await session.tx.query<{ id: string; state_code: string }>(
          'SELECT id, state_code FROM state_rollouts WHERE id = $1',
          [target.stateRolloutId],
        )
      : await session.tx.query<{ id: string; state_code: string }>(
          'SELECT id, state_code FROM state_rollouts WHERE state_code = $1 ORDER BY started_at DESC LIMIT 1',
          [target.stateCode],
        );
    const [row] = rows;
    if (!row)
      throw new DomainError(
        ERROR_CODES.NOT_FOUND,
        `no state rollout for ${target.stateRolloutId ?? target.stateCode}`,
        [
          {
            field: target.stateRolloutId ? 'stateRolloutId' : 'stateCode',
            message: 'no such rollout',
            value: target.stateRolloutId ?? target.stateCode,
          },
        ],
      );
    if (target.stateCode && row.state_code !== target.stateCode)
      throw new DomainError(
        ERROR_CODES.VALIDATION_FAILED,
        `rollout ${row.id} is for ${row.state_code}, not ${target.stateCode}`,
        [{ field: 'stateCode', message: 'does not match stateRolloutId', value: target.stateCode }],
      );
    return row.id;
  }

  private async communities(
    session: CommandSession,
    stateRolloutId: string,
    status: string,
  ): Promise<string[]> {
    const rows = await session.tx.query<{ id: string }>(
      'SELECT id FROM community_rollouts WHERE state_rollout_id = $1 AND status = $2 ORDER BY priority NULLS LAST, queue_position',
      [stateRolloutId, status],
    );
    return rows.map((r) => r.id);
  }

  private async summary(session: CommandSession, id: string) {
    const [row] = await session.tx.query<{
      id: string;
      state_code: string;
      status: string;
      status_reason: string | null;
    }>('SELECT id, state_code, status, status_reason FROM state_rollouts WHERE id = $1', [id]);
    return {
      stateRolloutId: row.id,
      stateCode: row.state_code,
      status: row.status,
      statusReason: row.status_reason,
    };
  }
}
