import {
  ERROR_CODES,
  type FlagsSnapshotReply,
  type GetRolloutHistory,
  type RolloutHistoryReply,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import type { Database } from '@rcp/persistence';
import { selectFlags } from '../projections/flag-row';
import { ROLLOUT_CONFIGURATION_CONSUMER } from '../projections/rollout-configuration.projection';

export function notFound(flag: string): never {
  throw new DomainError(ERROR_CODES.FLAG_NOT_FOUND, `no flag named ${flag}`, [
    { field: 'flag', message: 'unknown flag', value: flag },
  ]);
}

/** Every flag and the stream sequence the table reflects, read in one snapshot. */
export function readSnapshot(db: Database): Promise<FlagsSnapshotReply> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [checkpoint] = await tx.query<{ stream_sequence: string }>(
      'SELECT stream_sequence FROM consumer_checkpoints WHERE consumer = $1',
      [ROLLOUT_CONFIGURATION_CONSUMER],
    );
    const flags = await selectFlags(tx);
    return { flags, streamSequence: Number(checkpoint?.stream_sequence ?? 0) };
  });
}

export async function readHistory(
  db: Database,
  q: GetRolloutHistory,
): Promise<RolloutHistoryReply> {
  const rows = await db.query<{
    id: string;
    feature_name: string;
    action: RolloutHistoryReply['items'][number]['action'];
    previous_percentage: number | null;
    new_percentage: number | null;
    reason: string | null;
    triggered_by: RolloutHistoryReply['items'][number]['triggeredBy'];
    actor: string;
    metadata: Record<string, unknown>;
    created_at: Date;
    total: string;
  }>(
    `SELECT *, count(*) OVER () AS total FROM rollout_history WHERE feature_name = $1
      ORDER BY config_version DESC LIMIT $2 OFFSET $3`,
    [q.flag, q.limit ?? 100, q.offset ?? 0],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      flag: r.feature_name,
      action: r.action,
      previousPercentage: r.previous_percentage,
      newPercentage: r.new_percentage,
      reason: r.reason,
      triggeredBy: r.triggered_by,
      actor: r.actor,
      metadata: r.metadata,
      createdAt: r.created_at.toISOString(),
    })),
  };
}
