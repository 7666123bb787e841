import { ERROR_CODES } from '@rcp/contracts';
import { DomainError, NotFoundError } from '@rcp/domain';
import type { Queryable } from '@rcp/persistence';

export interface StateRolloutTarget {
  stateRolloutId: string;
  stateCode: string;
}

/** `stateRolloutId`, or the latest rollout of `stateCode` the ledger has seen; they must agree. */
export async function resolveStateRollout(
  db: Queryable,
  target: { stateCode?: string; stateRolloutId?: string },
): Promise<StateRolloutTarget> {
  if (target.stateRolloutId) {
    const [row] = await db.query<{ state_code: string }>(
      `SELECT state_code FROM state_rollouts WHERE id = $1
       UNION ALL SELECT state_code FROM state_rollout_costs WHERE state_rollout_id = $1 LIMIT 1`,
      [target.stateRolloutId],
    );
    const stateCode = row?.state_code ?? target.stateCode;
    if (!stateCode)
      throw new NotFoundError(`state rollout ${target.stateRolloutId} is unknown to the ledger`, [
        { field: 'stateRolloutId', message: 'unknown', value: target.stateRolloutId },
      ]);
    if (target.stateCode && target.stateCode !== stateCode)
      throw new DomainError(
        ERROR_CODES.VALIDATION_FAILED,
        `state rollout ${target.stateRolloutId} is in ${stateCode}`,
        [
          {
            field: 'stateCode',
            constraint: 'matchesRollout',
            message: `must be ${stateCode}`,
            value: target.stateCode,
          },
        ],
      );
    return { stateRolloutId: target.stateRolloutId, stateCode };
  }
  const [latest] = await db.query<{ id: string }>(
    'SELECT id FROM state_rollouts WHERE state_code = $1 ORDER BY started_at DESC NULLS LAST LIMIT 1',
    [target.stateCode],
  );
  if (!latest)
    throw new NotFoundError(`no state rollout of ${target.stateCode} is known to the ledger`, [
      { field: 'stateCode', message: 'no rollout', value: target.stateCode },
    ]);
  return { stateRolloutId: latest.id, stateCode: target.stateCode! };
}
