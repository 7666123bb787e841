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
  return foldBudgets(rows.map((r) => [r.id, r.type, r.data]));
}

/** Folds `[stateRolloutId, type, data]` rows, in stream order, into budget states. */
export function foldBudgets(
  rows: ReadonlyArray<[id: string, type: string, data: unknown]>,
): Map<string, BudgetState> {
  const byId = new Map<string, BudgetEvent[]>();
  for (const [id, type, data] of rows) {
    const events = byId.get(id) ?? [];
    events.push({ type, data } as BudgetEvent);
    byId.set(id, events);
  }
  return new Map([...byId].map(([id, events]) => [id, fold(budgetDecider, events)]));
}

/** A state rollout whose spend a usage batch raised, with the batch's last usage of it. */
export interface SpendRaised {
  stateRolloutId: string;
  spent: string;
  cause: EventEnvelope;
}

/**
 * After a batch raised the spend of these state rollouts (their budget locks held, `states` read
 * under them): announce the thresholds and the excess they crossed, exactly once (command id
 * derived from the last usage event of the rollout).
 */
export async function announceSpend(
  store: EventStore,
  tx: Tx,
  raised: SpendRaised[],
  states: Map<string, BudgetState>,
): Promise<void> {
  const now = new Date();
  for (const { stateRolloutId: id, spent, cause } of raised) {
    const state = states.get(id);
    if (state?.budget == null) continue;
    const command: BudgetCommand = {
      type: 'RecordSpend',
      stateRolloutId: id,
      stateCode: state.stateCode!,
      spent: normalizeMoney(spent),
      now,
    };
    if (budgetDecider.decide(command, state).length === 0) continue;
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
