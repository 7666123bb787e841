import { defineQuery } from '../messages';
import { StateRolloutTargetQuery } from '../orchestrator/state-rollout-target.dto';

/** The budget and spend of a state rollout, by id or the latest rollout of a state. */
export class GetBudget extends StateRolloutTargetQuery {}

/** Reply of `qry.ledger.GetBudget`; money as decimal strings. */
export interface BudgetReply {
  stateRolloutId: string;
  stateCode: string;
  /** Null when no budget is set. */
  budget: string | null;
  spent: string;
  /** budget − spent, negative once exceeded; null without a budget. */
  remaining: string | null;
  thresholdPercents: number[];
  reachedThresholdPercents: number[];
  exceeded: boolean;
}

export const GetBudgetQuery = defineQuery(
  'ledger',
  'GetBudget',
  GetBudget,
  'Budget, spend and thresholds reached of a state rollout.',
);
