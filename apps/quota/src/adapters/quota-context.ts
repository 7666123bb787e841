import type { ServiceRuntime } from '@rcp/eventing';
import { GrantBatcher } from './accounts/grant-batcher';
import { GrantCache } from './accounts/grant-cache';
import { QuotaAccounts } from './accounts/quota-accounts';
import { JobCommands } from './jobs/job-commands';
import type { JobRunner } from './jobs/job-runner';
import type { QuotaConfig } from './quota.config';

/** The service's parts beyond the chassis, built once per runtime. */
export interface QuotaContext {
  config: QuotaConfig;
  clock: () => Date;
  runner: JobRunner;
  accounts: QuotaAccounts;
  /** ReserveQuota and ConsumeQuota from the wire, group-committed. */
  grants: GrantBatcher;
  jobs: JobCommands;
}

export const QUOTA_CONTEXT = Symbol('QuotaContext');

export function createQuotaContext(
  runtime: ServiceRuntime,
  config: QuotaConfig,
  clock: () => Date,
  runner: JobRunner,
): QuotaContext {
  const cache = new GrantCache();
  const accounts = new QuotaAccounts(config, clock, (streamId) => cache.written([streamId]));
  const jobs = new JobCommands(runtime.store, accounts, config, clock);
  const grants = new GrantBatcher(runtime, config, clock, cache);
  return { config, clock, runner, accounts, grants, jobs };
}
