import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { defineCommand } from '../messages';
import { StateRolloutTargetCommand } from '../orchestrator/state-rollout-target.dto';
import { DECIMAL_PATTERN } from '../orchestrator/rollout-settings.dto';

/**
 * Sets (or replaces) the budget of a state rollout, by `stateRolloutId` or the latest rollout of
 * `stateCode`. Thresholds already reached are not announced again.
 */
export class SetBudget extends StateRolloutTargetCommand {
  /** USD, decimal string. */
  @Matches(DECIMAL_PATTERN, { message: 'budget must be a decimal string like "250.00"' })
  budget!: string;

  /** Percentages of the budget at which `BudgetThresholdReached` fires (default 50, 80). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(99, { each: true })
  thresholdPercents?: number[];
}

export const SetBudgetCommand = defineCommand(
  'ledger',
  'SetBudget',
  SetBudget,
  'Set the budget and alert thresholds of a state rollout.',
);
