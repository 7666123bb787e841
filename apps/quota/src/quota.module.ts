import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntime } from '@rcp/eventing';
import { ChassisModule, PLATFORM_VERSION } from '@rcp/service';
import { JobCommandsHandler } from './adapters/handlers/job-commands.handler';
import { QuotaAccountCommandsHandler } from './adapters/handlers/quota-account-commands.handler';
import { QuotaQueriesHandler } from './adapters/handlers/quota-queries.handler';
import { QuotaTimersHandler } from './adapters/handlers/quota-timers.handler';
import { jobDispatchProjection } from './adapters/jobs/job-dispatch.projection';
import { SimulatedJobRunner, type JobRunner } from './adapters/jobs/job-runner';
import { GrantKeyIndex1763900000000 } from './adapters/migrations/grant-key-index.migration';
import { QuotaTables1763700700000 } from './adapters/migrations/quota-tables.migration';
import { jobsProjection } from './adapters/projections/jobs.projection';
import { quotaUsageProjection } from './adapters/projections/quota-usage.projection';
import { createQuotaContext, QUOTA_CONTEXT } from './adapters/quota-context';
import { loadQuotaConfig, type QuotaConfig } from './adapters/quota.config';

export interface QuotaModuleOptions {
  /** The clock of every decision (default: the wall clock). */
  clock?: () => Date;
  /** Does the work of jobs (default: the simulated runner). */
  runner?: JobRunner;
  /** Overrides of the settings read from the environment. */
  config?: Partial<QuotaConfig>;
}

@Module({})
export class QuotaModule {
  static forRoot(options: QuotaModuleOptions = {}): DynamicModule {
    const config = { ...loadQuotaConfig(), ...options.config };
    // The read models of quota's own events are inline (read-your-writes, and no stream consumer
    // receiving every account event); only the job dispatch to workers follows the stream.
    const projections = config.worker ? [jobDispatchProjection] : [];
    const clock = options.clock ?? (() => new Date());
    const runner = options.runner ?? new SimulatedJobRunner();
    return {
      module: QuotaModule,
      imports: [
        ChassisModule.forRoot({
          service: 'quota',
          version: PLATFORM_VERSION,
          migrations: [QuotaTables1763700700000, GrantKeyIndex1763900000000],
          inlineProjections: [quotaUsageProjection, jobsProjection],
          projections,
        }),
      ],
      providers: [
        {
          provide: QUOTA_CONTEXT,
          inject: [ServiceRuntime],
          useFactory: (runtime: ServiceRuntime) =>
            createQuotaContext(runtime, config, clock, runner),
        },
        QuotaAccountCommandsHandler,
        JobCommandsHandler,
        QuotaQueriesHandler,
        QuotaTimersHandler,
      ],
    };
  }
}
