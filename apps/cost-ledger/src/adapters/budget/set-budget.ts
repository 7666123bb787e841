import type { BudgetSource, EventEnvelope } from '@rcp/contracts';
import type { EventStore, Tx } from '@rcp/persistence';
import { budgetDecider, type SetBudgetCommand } from '../../domain/budget/budget.decide';
import { decideInTransaction } from '../support/decide-in-transaction';
import { budgetRef, lockBudget, spentOf } from './budget-store';

/** Sets a budget from an orchestrator event (its settings), in the projection's transaction. */
export async function setBudgetInTransaction(
  store: EventStore,
  tx: Tx,
  input: {
    commandId: string;
    cause: EventEnvelope;
    stateRolloutId: string;
    stateCode: string;
    budget: string;
    source: BudgetSource;
  },
): Promise<void> {
  await lockBudget(tx, input.stateRolloutId);
  const spent = await spentOf(tx, [input.stateRolloutId]);
  const command: SetBudgetCommand = {
    type: 'SetBudget',
    stateRolloutId: input.stateRolloutId,
    stateCode: input.stateCode,
    budget: input.budget,
    source: input.source,
    spent: spent.get(input.stateRolloutId) ?? '0',
    now: new Date(),
  };
  await decideInTransaction(
    store,
    tx,
    { commandId: input.commandId, name: 'SetBudget', payload: command, cause: input.cause },
    budgetRef(input.stateRolloutId),
    budgetDecider,
    command,
    (e) => e.data.stateCode,
  );
}
