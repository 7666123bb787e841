import { Module } from '@nestjs/common';
import { ChassisModule, PLATFORM_VERSION } from '@rcp/service';
import { EvaluateHandler } from './adapters/handlers/evaluate.handler';
import { FlagCommandsHandler } from './adapters/handlers/flag-commands.handler';
import { FlagQueriesHandler } from './adapters/handlers/flag-queries.handler';
import { RampHandler } from './adapters/handlers/ramp.handler';
import { RecordJobOutcomeHandler } from './adapters/handlers/record-job-outcome.handler';
import { FLAGS_MIGRATIONS, FLAGS_PROJECTIONS } from './flags.wiring';

@Module({
  imports: [
    ChassisModule.forRoot({
      service: 'flags',
      version: PLATFORM_VERSION,
      migrations: FLAGS_MIGRATIONS,
      projections: FLAGS_PROJECTIONS,
    }),
  ],
  providers: [
    FlagCommandsHandler,
    RampHandler,
    RecordJobOutcomeHandler,
    FlagQueriesHandler,
    EvaluateHandler,
  ],
})
export class FlagsModule {}
