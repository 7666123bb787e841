import { Module } from '@nestjs/common';
import { ChassisModule, PLATFORM_VERSION } from '@rcp/service';
import { RolloutCommandHandlers } from './adapters/handlers/rollout-command.handlers';
import { RolloutQueryHandlers } from './adapters/handlers/rollout-query.handlers';
import { OrchestratorTables1763700000000 } from './adapters/migrations/orchestrator-tables.migration';
import { OrchestratorProcess } from './adapters/process/orchestrator-process';
import { apiCosts } from './adapters/projections/api-costs.projection';
import { rolloutTables } from './adapters/projections/rollout-tables.projection';

@Module({
  imports: [
    ChassisModule.forRoot({
      service: 'orchestrator',
      version: PLATFORM_VERSION,
      migrations: [OrchestratorTables1763700000000],
      inlineProjections: [rolloutTables],
      projections: [apiCosts],
    }),
  ],
  providers: [OrchestratorProcess, RolloutCommandHandlers, RolloutQueryHandlers],
})
export class OrchestratorModule {}
