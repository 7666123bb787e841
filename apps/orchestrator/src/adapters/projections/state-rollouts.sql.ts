import type { StateRolloutEvent } from '../../domain/state-rollout/state-rollout';
import type { SqlChange } from './rollout-tables.projection';

const setStatus = (
  id: string,
  status: string,
  at: string,
  reason: string | null = null,
  extra = '',
): SqlChange => ({
  sql: `UPDATE state_rollouts SET status = $2, status_reason = $4, updated_at = $3${extra} WHERE id = $1`,
  params: [id, status, at, reason],
});

/** The `state_rollouts` row of a state rollout event; undefined for other events. */
export function projectStateEvent(event: { type: string; data: unknown }): SqlChange[] | undefined {
  const e = event as StateRolloutEvent;
  switch (e.type) {
    case 'StateRolloutStarted': {
      const d = e.data;
      return [
        {
          sql: `INSERT INTO state_rollouts (id, state_code, state_name, status, total_communities, started_at, settings, initiated_by, created_at, updated_at)
              VALUES ($1, $2, $3, 'in_progress', $4, $5, $6, $7, $5, $5) ON CONFLICT (id) DO NOTHING`,
          params: [
            d.stateRolloutId,
            d.stateCode,
            d.stateName,
            d.totalCommunities,
            d.startedAt,
            JSON.stringify(d.settings),
            d.initiatedBy,
          ],
        },
      ];
    }
    case 'StateRolloutPaused':
      return [
        setStatus(e.data.stateRolloutId, 'paused', e.data.pausedAt, e.data.reason ?? e.data.cause),
      ];
    case 'StateRolloutResumed':
      return [setStatus(e.data.stateRolloutId, 'in_progress', e.data.resumedAt)];
    case 'StateRolloutCancelled':
      return [
        setStatus(e.data.stateRolloutId, 'cancelled', e.data.cancelledAt, e.data.reason ?? null),
      ];
    case 'StateRolloutSettingsUpdated':
      return [
        {
          sql: 'UPDATE state_rollouts SET settings = $2, updated_at = $3 WHERE id = $1',
          params: [e.data.stateRolloutId, JSON.stringify(e.data.settings), e.data.updatedAt],
        },
      ];
    case 'StateRolloutCompleted':
      return [
        {
          ...setStatus(
            e.data.stateRolloutId,
            'completed',
            e.data.completedAt,
            null,
            ', completed_at = $3, total_api_cost = $5',
          ),
          params: [
            e.data.stateRolloutId,
            'completed',
            e.data.completedAt,
            null,
            e.data.totalApiCost,
          ],
        },
      ];
    default:
      return undefined;
  }
}
