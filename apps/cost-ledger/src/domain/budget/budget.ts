import type { BudgetExceeded, BudgetSet, BudgetThresholdReached } from '@rcp/contracts';
import { assertNever, type DomainEvent } from '@rcp/domain';

/** The budget of one state rollout (aggregate id = state rollout id). */
export type BudgetEvent =
  | DomainEvent<'BudgetSet', BudgetSet>
  | DomainEvent<'BudgetThresholdReached', BudgetThresholdReached>
  | DomainEvent<'BudgetExceeded', BudgetExceeded>;

export interface BudgetState {
  stateRolloutId: string | null;
  stateCode: string | null;
  /** Decimal string; null until set. */
  budget: string | null;
  thresholdPercents: number[];
  reachedThresholdPercents: number[];
  /** Exceeded the current budget (a new budget re-arms it). */
  exceeded: boolean;
}

export const initialBudgetState: BudgetState = {
  stateRolloutId: null,
  stateCode: null,
  budget: null,
  thresholdPercents: [],
  reachedThresholdPercents: [],
  exceeded: false,
};

export function evolveBudget(state: BudgetState, event: BudgetEvent): BudgetState {
  switch (event.type) {
    case 'BudgetSet':
      return {
        ...state,
        stateRolloutId: event.data.stateRolloutId,
        stateCode: event.data.stateCode,
        budget: event.data.budget,
        thresholdPercents: [...event.data.thresholdPercents].sort((a, b) => a - b),
        exceeded: false,
      };
    case 'BudgetThresholdReached':
      return {
        ...state,
        reachedThresholdPercents: [
          ...state.reachedThresholdPercents,
          event.data.thresholdPercent,
        ].sort((a, b) => a - b),
      };
    case 'BudgetExceeded':
      return { ...state, exceeded: true };
    default:
      return assertNever(event);
  }
}
