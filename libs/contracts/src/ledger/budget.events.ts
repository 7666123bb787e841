import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { defineEvent } from '../messages';
import { StateCodeField } from '../orchestrator/fields';
import { DECIMAL_PATTERN } from '../orchestrator/rollout-settings.dto';

/** Where a budget came from. */
export const BUDGET_SOURCES = ['settings', 'command'] as const;
export type BudgetSource = (typeof BUDGET_SOURCES)[number];

/** Fields every budget event carries (the aggregate id is the state rollout id). */
abstract class BudgetEventBase {
  @IsUUID()
  stateRolloutId!: string;

  @StateCodeField()
  stateCode!: string;

  /** USD, decimal string. */
  @Matches(DECIMAL_PATTERN)
  budget!: string;
}

/** A state rollout's budget was set, from its start settings or by `SetBudget`. */
export class BudgetSet extends BudgetEventBase {
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(99, { each: true })
  thresholdPercents!: number[];

  @IsIn(BUDGET_SOURCES)
  source!: BudgetSource;

  @IsISO8601()
  setAt!: string;
}

/** Spend reached a threshold of the budget (fires once per threshold, in order). */
export class BudgetThresholdReached extends BudgetEventBase {
  @IsInt()
  @Min(1)
  @Max(99)
  thresholdPercent!: number;

  /** Spend when it was reached, decimal string. */
  @Matches(DECIMAL_PATTERN)
  spent!: string;

  @IsISO8601()
  reachedAt!: string;
}

/** Spend passed the budget (fires once); the orchestrator pauses the rollout. */
export class BudgetExceeded extends BudgetEventBase {
  @Matches(DECIMAL_PATTERN)
  spent!: string;

  @IsISO8601()
  exceededAt!: string;
}

export const BudgetSetEvent = defineEvent('ledger', 'BudgetSet', BudgetSet, {
  aggregateType: 'Budget',
  summary: 'The budget of a state rollout was set.',
});

export const BudgetThresholdReachedEvent = defineEvent(
  'ledger',
  'BudgetThresholdReached',
  BudgetThresholdReached,
  {
    aggregateType: 'Budget',
    summary: 'Spend of a state rollout reached a budget threshold.',
  },
);

export const BudgetExceededEvent = defineEvent('ledger', 'BudgetExceeded', BudgetExceeded, {
  aggregateType: 'Budget',
  summary: 'Spend of a state rollout passed its budget; the rollout is paused.',
});
