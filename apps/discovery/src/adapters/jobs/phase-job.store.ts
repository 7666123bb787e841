import type { CommunityPhaseRequested } from '@rcp/contracts';
import type { Database, Queryable } from '@rcp/persistence';

export interface ClaimedJob {
  request: CommunityPhaseRequested;
  claims: number;
  /** W3C trace headers of the request, so the phase work continues its trace. */
  traceHeaders: Record<string, string>;
}

const KEY = 'community_rollout_id = $1 AND phase = $2 AND attempt = $3';
const keyOf = (r: CommunityPhaseRequested) => [r.communityRolloutId, r.phase, r.attempt];

/** The `phase_jobs` queue: claim with a lease (SKIP LOCKED, so replicas share it), renew, release. */
export class PhaseJobStore {
  constructor(private readonly db: Database) {}

  /** Takes the oldest pending job, or a running one whose lease ran out (its worker died). */
  async claim(workerId: string, leaseMs: number): Promise<ClaimedJob | null> {
    const [row] = await this.db.query<{
      request: CommunityPhaseRequested;
      claims: number;
      trace_headers: Record<string, string>;
    }>(
      `UPDATE phase_jobs j SET status = 'running', claims = j.claims + 1, claimed_by = $1,
              lease_until = now() + $2 * interval '1 millisecond', started_at = COALESCE(j.started_at, now())
         FROM (SELECT community_rollout_id, phase, attempt FROM phase_jobs
                WHERE status = 'pending' OR (status = 'running' AND lease_until < now())
                ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) next
        WHERE j.community_rollout_id = next.community_rollout_id AND j.phase = next.phase AND j.attempt = next.attempt
        RETURNING j.request, j.claims, j.trace_headers`,
      [workerId, leaseMs],
    );
    return row
      ? { request: row.request, claims: row.claims, traceHeaders: row.trace_headers }
      : null;
  }

  async renew(request: CommunityPhaseRequested, workerId: string, leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE phase_jobs SET lease_until = now() + $5 * interval '1 millisecond' WHERE ${KEY} AND claimed_by = $4 AND status = 'running'`,
      [...keyOf(request), workerId, leaseMs],
    );
  }

  /** Gives a job back so it is taken again; a shutdown (no error) does not count as a claim. */
  async release(request: CommunityPhaseRequested, workerId: string, error?: string): Promise<void> {
    await this.db.query(
      `UPDATE phase_jobs SET status = 'pending', lease_until = NULL, claimed_by = NULL, last_error = COALESCE($5, last_error),
              claims = CASE WHEN $5::text IS NULL THEN GREATEST(claims - 1, 0) ELSE claims END
        WHERE ${KEY} AND claimed_by = $4 AND status = 'running'`,
      [...keyOf(request), workerId, error ?? null],
    );
  }

  /** In the answer's transaction. */
  async markDone(tx: Queryable, request: CommunityPhaseRequested, outcome: string): Promise<void> {
    await tx.query(
      `UPDATE phase_jobs SET status = 'done', outcome = $4, lease_until = NULL, completed_at = now() WHERE ${KEY}`,
      [...keyOf(request), outcome],
    );
  }
}
