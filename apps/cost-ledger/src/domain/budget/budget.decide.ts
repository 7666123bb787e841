import { DEFAULT_BUDGET_THRESHOLD_PERCENTS, type BudgetSource } from '@rcp/contracts';
import { assertNever, ValidationError, type Decider } from '@rcp/domain';
import { formatMicros, reachesPercent, toMicros } from '../money/money';
import { evolveBudget, initialBudgetState, type BudgetEvent, type BudgetState } from './budget';

interface BudgetCommandBase {
  stateRolloutId: string;
  stateCode: string;
  /** Spend of the state rollout so far, decimal string (from the ledger's roll-up). */
  spent: string;
  now: Date;
}

export interface SetBudgetCommand extends BudgetCommandBase {
  type: 'SetBudget';
  budget: string;
  thresholdPercents?: number[];
  source: BudgetSource;
}

/** The spend of a state rollout grew: announce what it crossed. */
export interface RecordSpendCommand extends BudgetCommandBase {
  type: 'RecordSpend';
}

export type BudgetCommand = SetBudgetCommand | RecordSpendCommand;

/** Thresholds crossed (ascending, each once), then `BudgetExceeded` once when spend passes it. */
export function crossings(state: BudgetState, spent: string, now: Date): BudgetEvent[] {
  if (state.budget === null || !state.stateRolloutId || !state.stateCode) return [];
  const budget = toMicros(state.budget);
  const spentMicros = toMicros(spent);
  const base = {
    stateRolloutId: state.stateRolloutId,
    stateCode: state.stateCode,
    budget: state.budget,
  };
  const at = now.toISOString();
  const events: BudgetEvent[] = state.thresholdPercents
    .filter((p) => !state.reachedThresholdPercents.includes(p))
    .filter((p) => reachesPercent(spentMicros, budget, p))
    .map((thresholdPercent) => ({
      type: 'BudgetThresholdReached',
      data: { ...base, thresholdPercent, spent: formatMicros(spentMicros), reachedAt: at },
    }));
  if (!state.exceeded && spentMicros > budget)
    events.push({
      type: 'BudgetExceeded',
      data: { ...base, spent: formatMicros(spentMicros), exceededAt: at },
    });
  return events;
}

function setBudget(command: SetBudgetCommand, state: BudgetState): BudgetEvent[] {
  const budget = toMicros(command.budget, 'budget');
  if (budget <= 0n)
    throw new ValidationError('budget must be greater than 0', [
      { field: 'budget', constraint: 'positive', message: 'must be > 0', value: command.budget },
    ]);
  const thresholdPercents = [
    ...new Set(command.thresholdPercents ?? DEFAULT_BUDGET_THRESHOLD_PERCENTS),
  ].sort((a, b) => a - b);
  const unchanged =
    state.budget !== null &&
    toMicros(state.budget) === budget &&
    state.thresholdPercents.join() === thresholdPercents.join();
  if (unchanged) return [];
  const set: BudgetEvent = {
    type: 'BudgetSet',
    data: {
      stateRolloutId: command.stateRolloutId,
      stateCode: command.stateCode,
      budget: formatMicros(budget),
      thresholdPercents,
      source: command.source,
      setAt: command.now.toISOString(),
    },
  };
  return [set, ...crossings(evolveBudget(state, set), command.spent, command.now)];
}

export function decideBudget(command: BudgetCommand, state: BudgetState): BudgetEvent[] {
  switch (command.type) {
    case 'SetBudget':
      return setBudget(command, state);
    case 'RecordSpend':
      return crossings(state, command.spent, command.now);
    default:
      return assertNever(command);
  }
}

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  initialState: initialBudgetState,
  evolve: evolveBudget,
  decide: decideBudget,
};
