import { ERROR_CODES, QUOTA_ERROR_CODES, type QuotaExceededDetails } from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import type { QuotaAccountEvent } from '../../domain/quota-account/quota-account';
import { resetsAt } from '../../domain/quota-account/quota-month';
import type { GrantEvent } from './account-store';

/** A refusal is an outcome (recorded as QuotaRefused), turned into QUOTA_EXCEEDED at the edge. */
export type Granted<T> = { granted: T } | { refused: QuotaExceededDetails };

export function outcome<T, D>(
  events: QuotaAccountEvent[],
  previous: GrantEvent | undefined,
  reply: (data: D) => T,
): Granted<T> {
  const [event] = events;
  if (!event) return { granted: reply(previous!.data as D) };
  if (event.type !== 'QuotaRefused') return { granted: reply(event.data as D) };
  const { tenantId, meter, month, requestedUnits, limit, used, reserved, remaining } = event.data;
  const resets = resetsAt(month).toISOString();
  return {
    refused: {
      tenantId,
      meter,
      month,
      requested: requestedUnits,
      limit,
      used,
      reserved,
      remaining,
      resetsAt: resets,
    },
  };
}

export function meterNotConfigured(meter: string, tier: string): DomainError {
  return new DomainError(
    QUOTA_ERROR_CODES.METER_NOT_CONFIGURED,
    `meter ${meter} has no limit for tier ${tier}: configure QUOTA_LIMITS or SetQuotaLimit`,
    [{ field: 'meter', message: 'no limit configured', value: meter }],
  );
}

/** Turns a refusal into the QUOTA_EXCEEDED error reply; a grant passes through. */
export function unwrapGranted<T>(result: Granted<T>): T {
  if ('granted' in result) return result.granted;
  const d = result.refused;
  throw new DomainError(
    ERROR_CODES.QUOTA_EXCEEDED,
    `${d.meter} of ${d.tenantId}: ${d.requested} requested, ${d.remaining} of ${d.limit} left in ${d.month}; resets at ${d.resetsAt}`,
    [{ field: 'units', message: `only ${d.remaining} left until ${d.resetsAt}`, value: d }],
  );
}
