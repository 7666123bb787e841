import Decimal from 'decimal.js';
import {
  COMMUNITY_ROLLOUT_STATUSES,
  ERROR_CODES,
  PHASE_STATUSES,
  PHASES,
  type CommunityRolloutStatus,
  type ListStateRollouts,
  type ListStateRolloutsReply,
  type PhaseStatus,
  type StateProgressReply,
  type StateRolloutStatus,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import type { Queryable } from '@rcp/persistence';

/** Estimated cost of one community before any has completed (seed 001). */
export const DEFAULT_COST_PER_COMMUNITY = '34.00';

interface StateRow {
  id: string;
  state_code: string;
  state_name: string;
  status: StateRolloutStatus;
  total_communities: number;
  completed_communities: number;
  failed_communities: number;
  total_businesses_discovered: number;
  total_news_sources_created: number;
  settings: StateProgressReply['settings'];
  initiated_by: string;
  started_at: Date | null;
  completed_at: Date | null;
  status_reason: string | null;
  cost: string;
}

const STATE_COLUMNS = `s.*, (SELECT COALESCE(sum(api_cost_estimate), 0)::text FROM community_costs c WHERE c.state_rollout_id = s.id) AS cost`;

export async function findStateRollout(
  db: Queryable,
  target: { stateCode?: string; stateRolloutId?: string },
): Promise<StateRow> {
  const [row] = target.stateRolloutId
    ? await db.query<StateRow>(`SELECT ${STATE_COLUMNS} FROM state_rollouts s WHERE s.id = $1`, [
        target.stateRolloutId,
      ])
    : await db.query<StateRow>(
        `SELECT ${STATE_COLUMNS} FROM state_rollouts s WHERE s.state_code = $1 ORDER BY s.started_at DESC LIMIT 1`,
        [target.stateCode],
      );
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
  return row;
}

/** Average cost per completed community × communities still to go; 34.00 each before any completes. */
export function estimateRemainingCost(
  totalCost: string,
  completed: number,
  remaining: number,
): string {
  const perCommunity =
    completed > 0 ? new Decimal(totalCost).div(completed) : new Decimal(DEFAULT_COST_PER_COMMUNITY);
  return perCommunity.times(remaining).toFixed(2);
}

export const progressPercentage = (completed: number, total: number) =>
  total === 0 ? 0 : Math.round((completed / total) * 1000) / 10;

export async function stateProgress(
  db: Queryable,
  target: { stateCode?: string; stateRolloutId?: string },
): Promise<StateProgressReply> {
  const row = await findStateRollout(db, target);
  const remaining = row.total_communities - row.completed_communities - row.failed_communities;
  return {
    stateRolloutId: row.id,
    stateCode: row.state_code,
    stateName: row.state_name,
    status: row.status,
    progressPercentage: progressPercentage(row.completed_communities, row.total_communities),
    totalCommunities: row.total_communities,
    completedCommunities: row.completed_communities,
    failedCommunities: row.failed_communities,
    statusBreakdown: await statusBreakdown(db, row.id),
    phaseBreakdown: await phaseBreakdown(db, row.id),
    totalBusinessesDiscovered: row.total_businesses_discovered,
    totalNewsSourcesCreated: row.total_news_sources_created,
    totalApiCost: new Decimal(row.cost).toFixed(2),
    estimatedRemainingCost: estimateRemainingCost(row.cost, row.completed_communities, remaining),
    settings: row.settings,
    initiatedBy: row.initiated_by,
    startedAt: row.started_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    statusReason: row.status_reason,
  };
}

async function statusBreakdown(
  db: Queryable,
  id: string,
): Promise<Record<CommunityRolloutStatus, number>> {
  const rows = await db.query<{ status: CommunityRolloutStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM community_rollouts WHERE state_rollout_id = $1 GROUP BY status',
    [id],
  );
  const out = Object.fromEntries(COMMUNITY_ROLLOUT_STATUSES.map((s) => [s, 0])) as Record<
    CommunityRolloutStatus,
    number
  >;
  for (const r of rows) out[r.status] = r.n;
  return out;
}

async function phaseBreakdown(
  db: Queryable,
  id: string,
): Promise<Record<string, Record<PhaseStatus, number>>> {
  const union = PHASES.map(
    (n) =>
      `SELECT ${n} AS phase, phase_${n}_status AS status, count(*)::int AS n FROM community_rollouts WHERE state_rollout_id = $1 GROUP BY phase_${n}_status`,
  ).join(' UNION ALL ');
  const rows = await db.query<{ phase: number; status: PhaseStatus; n: number }>(union, [id]);
  const out = Object.fromEntries(
    PHASES.map((n) => [String(n), Object.fromEntries(PHASE_STATUSES.map((s) => [s, 0]))]),
  ) as Record<string, Record<PhaseStatus, number>>;
  for (const r of rows) out[String(r.phase)][r.status] = r.n;
  return out;
}

export async function listStateRollouts(
  db: Queryable,
  q: ListStateRollouts,
): Promise<ListStateRolloutsReply> {
  const where = `WHERE ($1::text IS NULL OR s.state_code = $1) AND ($2::text IS NULL OR s.status = $2)`;
  const params = [q.stateCode ?? null, q.status ?? null];
  const rows = await db.query<StateRow>(
    `SELECT ${STATE_COLUMNS} FROM state_rollouts s ${where} ORDER BY s.started_at DESC LIMIT $3 OFFSET $4`,
    [...params, q.limit ?? 100, q.offset ?? 0],
  );
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM state_rollouts s ${where}`,
    params,
  );
  const items = rows.map((r) => ({
    stateRolloutId: r.id,
    stateCode: r.state_code,
    stateName: r.state_name,
    status: r.status,
    totalCommunities: r.total_communities,
    completedCommunities: r.completed_communities,
    failedCommunities: r.failed_communities,
    progressPercentage: progressPercentage(r.completed_communities, r.total_communities),
    totalApiCost: new Decimal(r.cost).toFixed(2),
    initiatedBy: r.initiated_by,
    startedAt: r.started_at?.toISOString() ?? null,
    completedAt: r.completed_at?.toISOString() ?? null,
  }));
  return { items, total };
}
