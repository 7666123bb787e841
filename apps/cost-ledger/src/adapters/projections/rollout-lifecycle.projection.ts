import type {
  CommunityRolloutQueued,
  EventEnvelope,
  StateRolloutSettingsUpdated,
  StateRolloutStarted,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import type { Projection } from '@rcp/eventing';
import type { EventStore, Tx } from '@rcp/persistence';
import { setBudgetInTransaction } from '../budget/set-budget';
import { uuidV5 } from '../support/uuid-v5';

export const LIFECYCLE_TABLES = ['state_rollouts', 'community_rollouts'] as const;

/** Orchestrator events → the ledger's view of rollouts; `statusOf` maps the status-only ones. */
const STATE_STATUS: Record<string, string> = {
  StateRolloutPaused: 'paused',
  StateRolloutResumed: 'in_progress',
  StateRolloutCompleted: 'completed',
  StateRolloutCancelled: 'cancelled',
};
const COMMUNITY_STATUS: Record<string, string> = {
  CommunityRolloutPaused: 'paused',
  CommunityPhaseRequested: 'in_progress',
  CommunityRolloutCompleted: 'completed',
  CommunityRolloutFailed: 'failed',
};

/**
 * The ledger's own view of state and community rollouts (for per-rollout cost and the
 * remaining-cost estimate), and budgets taken from `StartStateRollout` settings.
 */
export function rolloutLifecycleProjection(store: EventStore): Projection {
  return {
    name: 'rollout-lifecycle',
    filterSubject: 'events.orchestrator.*.*',
    eventTypes: [
      'StateRolloutStarted',
      'StateRolloutSettingsUpdated',
      'CommunityRolloutQueued',
      ...Object.keys(STATE_STATUS),
      ...Object.keys(COMMUNITY_STATUS),
    ],
    tables: LIFECYCLE_TABLES,
    async apply(event, tx) {
      if (event.type === 'StateRolloutStarted') return started(store, event, tx);
      if (event.type === 'StateRolloutSettingsUpdated') return settingsUpdated(store, event, tx);
      if (event.type === 'CommunityRolloutQueued') return queued(event, tx);
      const data = event.data as { stateRolloutId: string; communityRolloutId?: string };
      if (STATE_STATUS[event.type])
        await tx.query(
          `UPDATE state_rollouts SET status = $2,
             completed_at = CASE WHEN $2 IN ('completed', 'cancelled') THEN $3::timestamptz ELSE completed_at END
           WHERE id = $1`,
          [data.stateRolloutId, STATE_STATUS[event.type], event.occurredAt],
        );
      else
        await tx.query(
          `UPDATE community_rollouts SET status = $2,
             completed_at = CASE WHEN $2 IN ('completed', 'failed') THEN $3::timestamptz ELSE completed_at END
           WHERE id = $1`,
          [data.communityRolloutId, COMMUNITY_STATUS[event.type], event.occurredAt],
        );
    },
  };
}

async function started(store: EventStore, event: EventEnvelope, tx: Tx) {
  const d = event.data as StateRolloutStarted;
  await tx.query(
    `INSERT INTO state_rollouts (id, state_code, state_name, status, total_communities, started_at, settings, initiated_by, budget)
     VALUES ($1, $2, $3, 'in_progress', $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [
      d.stateRolloutId,
      d.stateCode,
      d.stateName,
      d.totalCommunities,
      d.startedAt,
      d.settings ?? {},
      d.initiatedBy,
      d.settings?.budget ?? null,
    ],
  );
  if (d.settings?.budget) await budgetFromSettings(store, event, tx, d.settings.budget);
}

async function settingsUpdated(store: EventStore, event: EventEnvelope, tx: Tx) {
  const d = event.data as StateRolloutSettingsUpdated;
  await tx.query('UPDATE state_rollouts SET settings = $2, budget = $3 WHERE id = $1', [
    d.stateRolloutId,
    d.settings ?? {},
    d.settings?.budget ?? null,
  ]);
  if (d.settings?.budget && d.settings.budget !== d.previousSettings?.budget)
    await budgetFromSettings(store, event, tx, d.settings.budget);
}

async function budgetFromSettings(store: EventStore, event: EventEnvelope, tx: Tx, budget: string) {
  const d = event.data as { stateRolloutId: string; stateCode: string };
  await setBudgetInTransaction(store, tx, {
    commandId: uuidV5(`${event.id}:budget-from-settings`),
    cause: event,
    stateRolloutId: d.stateRolloutId,
    stateCode: d.stateCode,
    budget,
    source: 'settings',
  }).catch((error: unknown) => {
    // A budget the ledger refuses (e.g. "0") leaves the rollout without one; not a poison event.
    if (!(error instanceof DomainError)) throw error;
  });
}

async function queued(event: EventEnvelope, tx: Tx) {
  const d = event.data as CommunityRolloutQueued;
  await tx.query(
    `INSERT INTO community_rollouts (id, state_rollout_id, community_id, community_name, state_code, status, queued_at)
     VALUES ($1, $2, $3, $4, $5, 'queued', $6)
     ON CONFLICT (id) DO UPDATE SET status = 'queued', completed_at = NULL`,
    [
      d.communityRolloutId,
      d.stateRolloutId,
      d.communityId,
      d.communityName,
      d.stateCode,
      d.queuedAt,
    ],
  );
}
