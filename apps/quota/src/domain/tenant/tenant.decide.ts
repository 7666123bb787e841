import type { QuotaTier } from '@rcp/contracts';
import type { Decider } from '@rcp/domain';
import { evolveTenant, initialTenant, type TenantEvent, type TenantState } from './tenant';

export interface SetTierCommand {
  type: 'SetTier';
  tenantId: string;
  tier: QuotaTier;
  now: Date;
}

/** Setting the tier it already has changes nothing. */
export function setTier(command: SetTierCommand, state: TenantState): TenantEvent[] {
  if (command.tier === state.tier) return [];
  const data = {
    tenantId: command.tenantId,
    tier: command.tier,
    previousTier: state.tier,
    setAt: command.now.toISOString(),
  };
  return [{ type: 'TierSet', data }];
}

export const tenantDecider: Decider<SetTierCommand, TenantEvent, TenantState> = {
  initialState: initialTenant,
  evolve: evolveTenant,
  decide: setTier,
};
