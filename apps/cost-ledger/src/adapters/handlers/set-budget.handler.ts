import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SetBudgetCommand, type BudgetReply, type SetBudget } from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { budgetDecider } from '../../domain/budget/budget.decide';
import { budgetRef, lockBudget, spentOf } from '../budget/budget-store';
import { budgetReply } from './get-budget.handler';
import { resolveStateRollout } from './state-rollout-target';

export async function setBudget(runtime: ServiceRuntime, command: SetBudget): Promise<BudgetReply> {
  return runtime.executor.execute(
    { commandId: command.commandId, name: 'SetBudget', actor: command.actor, payload: command },
    async (session) => {
      const target = await resolveStateRollout(session.tx, command);
      await lockBudget(session.tx, target.stateRolloutId);
      const spent =
        (await spentOf(session.tx, [target.stateRolloutId])).get(target.stateRolloutId) ?? '0';
      const { state } = await session.decide(
        budgetRef(target.stateRolloutId),
        budgetDecider,
        {
          type: 'SetBudget',
          ...target,
          budget: command.budget,
          thresholdPercents: command.thresholdPercents,
          source: 'command',
          spent,
          now: session.now,
        },
        (event) => event.data.stateCode,
      );
      return budgetReply(target, state, spent);
    },
  );
}

@Injectable()
export class SetBudgetHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(SetBudgetCommand, (command) => setBudget(this.runtime, command));
  }
}
