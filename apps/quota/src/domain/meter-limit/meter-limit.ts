import type { QuotaLimitSet } from '@rcp/contracts';

export type MeterLimitEvent = { type: 'QuotaLimitSet'; data: QuotaLimitSet };

/** The explicit limit of a tenant's meter; null follows the tier. */
export interface MeterLimitState {
  limit: number | null;
}

export const initialMeterLimit: MeterLimitState = { limit: null };

export function evolveMeterLimit(_state: MeterLimitState, event: MeterLimitEvent): MeterLimitState {
  return { limit: event.data.limit };
}
