import type { EventEnvelope } from '@rcp/contracts';
import { fold } from '@rcp/domain';
import type { EventStore, Tx, Queryable } from '@rcp/persistence';
import type { BudgetEvent, BudgetState } from '../../domain/budget/budget';
import { budgetDecider, type BudgetCommand } from '../../domain/budget/budget.decide';
import { normalizeMoney } from '../../domain/money/money';
import { decideInTransaction, lockAggregate } from '../support/decide-in-transaction';
import { uuidV5 } from '../support/uuid-v5';

export const budgetRef = (stateRolloutId: string) => ({
  aggregateType: 'Budget',
  aggregateId: stateRolloutId,
});

/** Every writer of a budget holds this lock: the usage projection, SetBudget, the lifecycle. */
export const lockBudget = (tx: Tx, stateRolloutId: string) =>
  lockAggregate(tx, `ledger:budget:${stateRolloutId}`);

/** Spend of state rollouts so far (priced), as decimal strings. */
export async function spentOf(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; spent: string }>(
    'SELECT state_rollout_id AS id, total_api_cost::text AS spent FROM state_rollout_costs WHERE state_rollout_id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, normalizeMoney(r.spent)]));
}

/** Budget states of several state rollouts, folded from the ledger's own events. */
export async function budgetStates(
  db: Queryable,
  ids: string[],
): Promise<Map<string, BudgetState>> {
  const rows = await db.query<{ id: string; type: BudgetEvent['type']; data: never }>(
    `SELECT substr(stream_id, 8) AS id, type, data FROM events
      WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
    [ids.map((id) => `Budget-${id}`)],
  );
  const byId = new Map<string, BudgetEvent[]>();
  for (const row of rows)
    byId.set(row.id, [...(byId.get(row.id) ?? []), { type: row.type, data: row.data }]);
  return new Map([...byId].map(([id, events]) => [id, fold(budgetDecider, events)]));
}

/**
 * After a batch raised the spend of these state rollouts: announce the thresholds and the excess
 * they crossed, exactly once (command id derived from the last usage event of the rollout).
 */
export async function checkBudgets(
  store: EventStore,
  tx: Tx,
  touched: Map<string, EventEnvelope>,
): Promise<void> {
  const ids = [...touched.keys()].sort();
  if (ids.length === 0) return;
  // Sorted ids, locked in order by one statement: no deadlock between replicas.
  await tx.query('SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM unnest($1::text[]) AS k', [
    ids.map((id) => `ledger:budget:${id}`),
  ]);
  const states = await budgetStates(tx, ids);
  const withBudget = ids.filter((id) => states.get(id)?.budget != null);
  if (withBudget.length === 0) return;
  const spent = await spentOf(tx, withBudget);
  const now = new Date();
  for (const id of withBudget) {
    const state = states.get(id)!;
    const command: BudgetCommand = {
      type: 'RecordSpend',
      stateRolloutId: id,
      stateCode: state.stateCode!,
      spent: spent.get(id) ?? '0',
      now,
    };
    if (budgetDecider.decide(command, state).length === 0) continue;
    const cause = touched.get(id)!;
    await decideInTransaction(
      store,
      tx,
      {
        commandId: uuidV5(`${cause.id}:budget:${id}`),
        name: 'RecordSpend',
        payload: command,
        cause,
      },
      budgetRef(id),
      budgetDecider,
      command,
      (e) => e.data.stateCode,
    );
  }
}
