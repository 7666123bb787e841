import type { PricedUsage } from '../../domain/pricing/price-usage';
import type { RecordedUsage } from './api-usage.parse';

export type PricedRow = RecordedUsage & PricedUsage;

/** The state rollout of a usage without one, in keys of tables that need a value. */
export const NO_ROLLOUT = '00000000-0000-0000-0000-000000000000';
