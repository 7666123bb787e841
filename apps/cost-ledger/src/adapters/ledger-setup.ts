import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ServiceRuntime } from '@rcp/eventing';
import { createLogger, type Logger } from '@rcp/telemetry';
import { DEFAULT_EFFECTIVE_FROM, defaultPrices } from './config/default-price-book';
import { GetBudgetHandler } from './handlers/get-budget.handler';
import { GetCostSummaryHandler } from './handlers/get-cost-summary.handler';
import { GetPriceBookHandler } from './handlers/get-price-book.handler';
import { publishPriceBook, PublishPriceBookHandler } from './handlers/publish-price-book.handler';
import { SetBudgetHandler } from './handlers/set-budget.handler';
import { LedgerTables1763800000000 } from './migrations/ledger-tables.migration';
import { apiUsageProjection } from './projections/api-usage.projection';
import { rolloutLifecycleProjection } from './projections/rollout-lifecycle.projection';
import { uuidV5 } from './support/uuid-v5';

export const LEDGER_MIGRATIONS = [LedgerTables1763800000000];

export const LEDGER_HANDLERS: Array<
  Type<OnModuleInit> & (new (runtime: ServiceRuntime) => OnModuleInit)
> = [
  PublishPriceBookHandler,
  SetBudgetHandler,
  GetPriceBookHandler,
  GetBudgetHandler,
  GetCostSummaryHandler,
];

export interface LedgerOptions {
  /** Publish the configured price book as version 1 when there is none (default true). */
  defaultPriceBook?: boolean;
  usageBatchSize?: number;
}

/** Adds the ledger's projections and publishes the default price book once (before `start`). */
export async function prepareLedger(
  runtime: ServiceRuntime,
  options: LedgerOptions = {},
): Promise<void> {
  runtime.addProjection(apiUsageProjection(runtime.store, { batchSize: options.usageBatchSize }));
  runtime.addProjection(rolloutLifecycleProjection(runtime.store));
  if (options.defaultPriceBook === false) return;
  await publishPriceBook(
    runtime,
    {
      commandId: uuidV5('default-price-book'),
      actor: 'ledger',
      effectiveFrom: DEFAULT_EFFECTIVE_FROM,
      prices: defaultPrices(),
      note: 'built-in default',
    },
    'PublishDefaultPriceBook',
  ).catch((error: Error) => logger().warn('default price book not published', { error }));
}

let log: Logger | undefined;
const logger = () => (log ??= createLogger('ledger'));

@Injectable()
export class LedgerSetup implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  async onModuleInit(): Promise<void> {
    await prepareLedger(this.runtime);
  }
}
