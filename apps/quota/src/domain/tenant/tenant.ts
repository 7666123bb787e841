import { QUOTA_DEFAULTS, type QuotaTier, type TierSet } from '@rcp/contracts';

export type TenantEvent = { type: 'TierSet'; data: TierSet };

/** A tenant's tier; a tenant never set is `free`. */
export interface TenantState {
  tier: QuotaTier;
}

export const initialTenant: TenantState = { tier: QUOTA_DEFAULTS.tier };

export function evolveTenant(_state: TenantState, event: TenantEvent): TenantState {
  return { tier: event.data.tier };
}
