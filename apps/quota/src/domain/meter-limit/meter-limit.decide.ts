import type { Decider } from '@rcp/domain';
import {
  evolveMeterLimit,
  initialMeterLimit,
  type MeterLimitEvent,
  type MeterLimitState,
} from './meter-limit';

export interface SetQuotaLimitCommand {
  type: 'SetQuotaLimit';
  tenantId: string;
  meter: string;
  limit: number | null;
  now: Date;
}

/** Setting the limit it already has changes nothing. */
export function setQuotaLimit(
  command: SetQuotaLimitCommand,
  state: MeterLimitState,
): MeterLimitEvent[] {
  if (command.limit === state.limit) return [];
  const { tenantId, meter, limit } = command;
  return [
    { type: 'QuotaLimitSet', data: { tenantId, meter, limit, setAt: command.now.toISOString() } },
  ];
}

export const meterLimitDecider: Decider<SetQuotaLimitCommand, MeterLimitEvent, MeterLimitState> = {
  initialState: initialMeterLimit,
  evolve: evolveMeterLimit,
  decide: setQuotaLimit,
};
