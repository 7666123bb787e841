import type { QuotaTier, TierLimits } from '@rcp/contracts';

/**
 * The monthly limit of a meter for a tenant: its explicit limit when set, else the configured
 * limit of its tier; undefined when the meter is not configured at all.
 */
export function resolveLimit(
  meter: string,
  tier: QuotaTier,
  explicitLimit: number | null | undefined,
  limits: Readonly<Record<string, TierLimits>>,
): number | undefined {
  if (explicitLimit !== null && explicitLimit !== undefined) return explicitLimit;
  return limits[meter]?.[tier];
}
