import type { Projection } from '@rcp/eventing';
import { FlagsTables1763800000000 } from './adapters/migrations/flags-tables.migration';
import { rolloutConfigurationProjection } from './adapters/projections/rollout-configuration.projection';
import { rolloutHistoryProjection } from './adapters/projections/rollout-history.projection';
import { rolloutMetricsProjection } from './adapters/projections/rollout-metrics.projection';

export const FLAGS_MIGRATIONS = [FlagsTables1763800000000];

export const FLAGS_PROJECTIONS: Projection[] = [
  rolloutConfigurationProjection,
  rolloutHistoryProjection,
  rolloutMetricsProjection,
];
