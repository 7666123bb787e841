import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GetBudgetQuery, type BudgetReply } from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { initialBudgetState, type BudgetState } from '../../domain/budget/budget';
import { formatMicros, toMicros } from '../../domain/money/money';
import { budgetStates, spentOf } from '../budget/budget-store';
import { resolveStateRollout, type StateRolloutTarget } from './state-rollout-target';

export function budgetReply(
  target: StateRolloutTarget,
  state: BudgetState,
  spent: string,
): BudgetReply {
  return {
    ...target,
    budget: state.budget,
    spent,
    remaining:
      state.budget === null ? null : formatMicros(toMicros(state.budget) - toMicros(spent)),
    thresholdPercents: state.thresholdPercents,
    reachedThresholdPercents: state.reachedThresholdPercents,
    exceeded: state.exceeded,
  };
}

@Injectable()
export class GetBudgetHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(GetBudgetQuery, async (query) => {
      const target = await resolveStateRollout(this.runtime.db, query);
      const state = (await budgetStates(this.runtime.db, [target.stateRolloutId])).get(
        target.stateRolloutId,
      );
      const spent = (await spentOf(this.runtime.db, [target.stateRolloutId])).get(
        target.stateRolloutId,
      );
      return budgetReply(target, state ?? initialBudgetState, spent ?? '0.00');
    });
  }
}
