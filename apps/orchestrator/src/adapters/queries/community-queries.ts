import {
  COMMUNITY_COUNTER_NAMES,
  ERROR_CODES,
  PHASES,
  type CommunityRolloutView,
  type ListCommunities,
  type ListCommunitiesReply,
  type ListCommunityRollouts,
  type PageReply,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import type { Queryable } from '@rcp/persistence';
import { findStateRollout } from './rollout-queries';

type Row = Record<string, unknown> & { id: string; cost: string | null; calls: number | null };

const COLUMN_OF: Record<string, string> = Object.fromEntries(
  COMMUNITY_COUNTER_NAMES.map((n) => [n, n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
);
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

function toView(r: Row): CommunityRolloutView {
  const counters = Object.fromEntries(
    COMMUNITY_COUNTER_NAMES.map((n) => [n, Number(r[COLUMN_OF[n]] ?? 0)]),
  ) as CommunityRolloutView['counters'];
  counters.apiCallsMade = Math.max(counters.apiCallsMade, r.calls ?? 0);
  return {
    communityRolloutId: r.id,
    stateRolloutId: r.state_rollout_id as string,
    communityId: r.community_id as string,
    communityName: r.community_name as string,
    stateCode: r.state_code as string,
    status: r.status as CommunityRolloutView['status'],
    currentPhase: r.current_phase as number,
    phases: PHASES.map((n) => ({
      phase: n,
      status: r[`phase_${n}_status`] as never,
      startedAt: iso(r[`phase_${n}_started_at`]),
      completedAt: iso(r[`phase_${n}_completed_at`]),
    })),
    counters,
    apiCostEstimate: r.cost ?? String(r.api_cost_estimate ?? '0'),
    retryCount: r.retry_count as number,
    errorLog: r.error_log as CommunityRolloutView['errorLog'],
    nextRetryAt: iso(r.next_retry_at),
  };
}

const SELECT = `SELECT r.*, c.api_cost_estimate::text AS cost, c.api_calls_made AS calls FROM community_rollouts r LEFT JOIN community_costs c ON c.community_rollout_id = r.id`;

export async function getCommunityRollout(
  db: Queryable,
  id: string,
): Promise<CommunityRolloutView> {
  const [row] = await db.query<Row>(`${SELECT} WHERE r.id = $1`, [id]);
  if (!row)
    throw new DomainError(ERROR_CODES.NOT_FOUND, `community rollout ${id} not found`, [
      { field: 'communityRolloutId', message: 'no such community rollout', value: id },
    ]);
  return toView(row);
}

export async function listCommunityRollouts(
  db: Queryable,
  q: ListCommunityRollouts,
): Promise<PageReply<CommunityRolloutView>> {
  const rollout = await findStateRollout(db, q);
  const status = q.status ?? null;
  const rows = await db.query<Row>(
    `${SELECT} WHERE r.state_rollout_id = $1 AND ($2::text IS NULL OR r.status = $2) ORDER BY r.priority NULLS LAST, r.queue_position LIMIT $3 OFFSET $4`,
    [rollout.id, status, q.limit ?? 100, q.offset ?? 0],
  );
  const [{ total }] = await db.query<{ total: number }>(
    'SELECT count(*)::int AS total FROM community_rollouts WHERE state_rollout_id = $1 AND ($2::text IS NULL OR status = $2)',
    [rollout.id, status],
  );
  return { items: rows.map(toView), total };
}

export async function listCommunities(
  db: Queryable,
  q: ListCommunities,
): Promise<ListCommunitiesReply> {
  const params = [q.stateCode, q.search ? `%${q.search}%` : null];
  const where = 'WHERE state_code = $1 AND ($2::text IS NULL OR name ILIKE $2)';
  const rows = await db.query<{
    id: string;
    name: string;
    state_code: string;
    county: string | null;
    latitude: number | null;
    longitude: number | null;
    population: number | null;
    source: string;
    external_id: string | null;
  }>(
    `SELECT * FROM communities ${where} ORDER BY population DESC NULLS LAST, name LIMIT $3 OFFSET $4`,
    [...params, q.limit ?? 100, q.offset ?? 0],
  );
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM communities ${where}`,
    params,
  );
  return {
    items: rows.map((r) => ({
      communityId: r.id,
      name: r.name,
      stateCode: r.state_code,
      county: r.county,
      latitude: r.latitude,
      longitude: r.longitude,
      population: r.population,
      source: r.source,
      externalId: r.external_id,
    })),
    total,
  };
}
