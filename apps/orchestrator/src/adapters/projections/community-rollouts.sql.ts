import { PHASE_NAMES, PHASES, type CommunityCountersDto } from '@rcp/contracts';
import type { CommunityRolloutEvent } from '../../domain/community-rollout/community-rollout';
import type { SqlChange } from './rollout-tables.projection';

const COUNTER_COLUMNS: Array<[keyof CommunityCountersDto, string]> = [
  ['businessesDiscovered', 'businesses_discovered'],
  ['businessesWithWebsites', 'businesses_with_websites'],
  ['newsSourcesCreated', 'news_sources_created'],
  ['collectionMethodsCreated', 'collection_methods_created'],
  ['eventsVenuesCreated', 'events_venues_created'],
  ['directoryListingsCreated', 'directory_listings_created'],
  ['crmLeadsCreated', 'crm_leads_created'],
];

const update = (id: string, at: string, set: string, params: unknown[] = []): SqlChange => ({
  sql: `UPDATE community_rollouts SET ${set}, updated_at = $2 WHERE id = $1`,
  params: [id, at, ...params],
});

const logEntry = (phase: number, attempt: number, code: string, error: string, at: string) =>
  JSON.stringify([{ phase, attempt, code, error, at }]);

function queued(
  e: Extract<CommunityRolloutEvent, { type: 'CommunityRolloutQueued' }>,
): SqlChange[] {
  const d = e.data;
  return [
    // A failed community queued again (manual retry) leaves the failed count.
    {
      sql: `UPDATE state_rollouts s SET failed_communities = failed_communities - 1 FROM community_rollouts c WHERE c.id = $1 AND c.status = 'failed' AND s.id = c.state_rollout_id`,
      params: [d.communityRolloutId],
    },
    {
      sql: `INSERT INTO community_rollouts (id, state_rollout_id, community_id, community_name, state_code, status, priority, queue_position, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, 'queued', $6, (SELECT count(*) FROM community_rollouts WHERE state_rollout_id = $2), $7, $7)
            ON CONFLICT (id) DO UPDATE SET status = 'queued', next_retry_at = NULL, updated_at = $7`,
      params: [
        d.communityRolloutId,
        d.stateRolloutId,
        d.communityId,
        d.communityName,
        d.stateCode,
        d.priority ?? null,
        d.queuedAt,
      ],
    },
  ];
}

function accepted(
  e: Extract<CommunityRolloutEvent, { type: 'CommunityPhaseAccepted' }>,
): SqlChange[] {
  const d = e.data;
  const counters = COUNTER_COLUMNS.map(([key]) => d.counters[key] ?? 0);
  const sets = COUNTER_COLUMNS.map(([, column], i) => `${column} = ${column} + $${i + 3}`).join(
    ', ',
  );
  return [
    update(
      d.communityRolloutId,
      d.acceptedAt,
      `phase_${d.phase}_status = 'completed', phase_${d.phase}_completed_at = $2, ${sets}`,
      [...counters],
    ),
    {
      sql: 'UPDATE state_rollouts SET total_businesses_discovered = total_businesses_discovered + $2, total_news_sources_created = total_news_sources_created + $3 WHERE id = $1',
      params: [
        d.stateRolloutId,
        d.counters.businessesDiscovered ?? 0,
        d.counters.newsSourcesCreated ?? 0,
      ],
    },
  ];
}

/** A community paused mid-phase (quota) marks that phase failed; a queued one has none running. */
const FAIL_RUNNING_PHASE = PHASES.map(
  (n) =>
    `phase_${n}_status = CASE WHEN status LIKE 'phase_%' AND current_phase = ${n} THEN 'failed' ELSE phase_${n}_status END`,
).join(', ');

/** The `community_rollouts` row (and state counters) of a community event; undefined for others. */
export function projectCommunityEvent(event: {
  type: string;
  data: unknown;
}): SqlChange[] | undefined {
  const e = event as CommunityRolloutEvent;
  switch (e.type) {
    case 'CommunityRolloutQueued':
      return queued(e);
    case 'CommunityPhaseRequested': {
      const d = e.data;
      return [
        update(
          d.communityRolloutId,
          d.requestedAt,
          `status = $3, current_phase = $4, phase_${d.phase}_status = 'running', phase_${d.phase}_started_at = $2, phase_${d.phase}_completed_at = NULL, next_retry_at = NULL`,
          [`phase_${d.phase}_${PHASE_NAMES[d.phase]}`, d.phase],
        ),
      ];
    }
    case 'CommunityPhaseAccepted':
      return accepted(e);
    case 'CommunityPhaseSkipped':
      return [
        update(
          e.data.communityRolloutId,
          e.data.skippedAt,
          `current_phase = $3, phase_${e.data.phase}_status = 'skipped', phase_${e.data.phase}_started_at = $2, phase_${e.data.phase}_completed_at = $2`,
          [e.data.phase],
        ),
      ];
    case 'CommunityQualityGateChecked':
      return [
        update(
          e.data.communityRolloutId,
          e.data.checkedAt,
          `status = 'phase_5_verification', current_phase = 5, phase_5_status = $3, phase_5_started_at = $2, phase_5_completed_at = $2`,
          [e.data.passed ? 'completed' : 'failed'],
        ),
      ];
    case 'CommunityPhaseTimedOut':
      return [];
    case 'CommunityRetryScheduled': {
      const d = e.data;
      return [
        update(
          d.communityRolloutId,
          d.scheduledAt,
          `phase_${d.phase}_status = 'failed', retry_count = $3, next_retry_at = $4, error_log = error_log || $5::jsonb`,
          [
            d.retryCount,
            d.retryAt,
            logEntry(d.phase, d.failedAttempt, d.error.code, d.error.message, d.scheduledAt),
          ],
        ),
      ];
    }
    case 'CommunityRolloutPaused':
      return [
        update(
          e.data.communityRolloutId,
          e.data.pausedAt,
          `${FAIL_RUNNING_PHASE}, status = 'paused'`,
        ),
      ];
    case 'CommunityRolloutCompleted': {
      const d = e.data;
      return [
        update(
          d.communityRolloutId,
          d.completedAt,
          `status = 'completed', api_cost_estimate = $3, retry_count = $4`,
          [d.apiCostEstimate, d.retryCount],
        ),
        {
          sql: 'UPDATE state_rollouts SET completed_communities = completed_communities + 1, updated_at = $2 WHERE id = $1',
          params: [d.stateRolloutId, d.completedAt],
        },
      ];
    }
    case 'CommunityRolloutFailed': {
      const d = e.data;
      return [
        update(
          d.communityRolloutId,
          d.failedAt,
          `status = 'failed', current_phase = GREATEST(current_phase, $3), phase_${d.phase}_status = 'failed', retry_count = $4, next_retry_at = NULL, error_log = error_log || $5::jsonb`,
          [d.phase, d.retryCount, logEntry(d.phase, 0, d.error.code, d.error.message, d.failedAt)],
        ),
        {
          sql: 'UPDATE state_rollouts SET failed_communities = failed_communities + 1, updated_at = $2 WHERE id = $1',
          params: [d.stateRolloutId, d.failedAt],
        },
      ];
    }
    default:
      return undefined;
  }
}
