import {
  API_NAMES,
  ENDPOINTS,
  SKU_TIERS,
  US_STATE_CODES,
  type ApiUsageRecorded,
  type EventEnvelope,
} from '@rcp/contracts';
import { toMicros, type Micros } from '../../domain/money/money';
import type { UsageToPrice } from '../../domain/pricing/price-usage';

export interface RecordedUsage extends UsageToPrice {
  eventId: string;
  usageId: string;
  communityRolloutId: string;
  stateRolloutId: string | null;
  stateCode: string;
  phase: number | null;
  actualResponseCount: number;
  estimatedCost: Micros;
  streamSequence: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function check(ok: boolean, field: string, value: unknown): void {
  if (!ok) throw new Error(`ApiUsageRecorded: invalid ${field}: ${JSON.stringify(value)}`);
}

const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;

/**
 * Reads the fields the ledger needs from an `ApiUsageRecorded`, checking each (a malformed event
 * throws, so it is retried and then dead-lettered instead of corrupting the ledger).
 */
export function parseUsage(event: EventEnvelope, streamSequence: number): RecordedUsage {
  const d = event.data as ApiUsageRecorded;
  check(!!d && typeof d === 'object', 'data', d);
  check(UUID.test(d.usageId), 'usageId', d.usageId);
  check(UUID.test(d.communityRolloutId), 'communityRolloutId', d.communityRolloutId);
  check(
    d.stateRolloutId == null || UUID.test(d.stateRolloutId),
    'stateRolloutId',
    d.stateRolloutId,
  );
  check((US_STATE_CODES as readonly string[]).includes(d.stateCode), 'stateCode', d.stateCode);
  check(API_NAMES.includes(d.apiName), 'apiName', d.apiName);
  check(ENDPOINTS.includes(d.endpoint), 'endpoint', d.endpoint);
  check(SKU_TIERS.includes(d.skuTier), 'skuTier', d.skuTier);
  check(isCount(d.requestCount), 'requestCount', d.requestCount);
  check(isCount(d.actualResponseCount ?? 0), 'actualResponseCount', d.actualResponseCount);
  check(d.phase == null || isCount(d.phase), 'phase', d.phase);
  const recorded = typeof d.recordedAt === 'string' ? Date.parse(d.recordedAt) : NaN;
  check(!Number.isNaN(recorded), 'recordedAt', d.recordedAt);
  return {
    eventId: event.id,
    usageId: d.usageId.toLowerCase(),
    communityRolloutId: d.communityRolloutId,
    stateRolloutId: d.stateRolloutId ?? null,
    stateCode: d.stateCode,
    phase: d.phase ?? null,
    apiName: d.apiName,
    endpoint: d.endpoint,
    skuTier: d.skuTier,
    requestCount: d.requestCount,
    actualResponseCount: d.actualResponseCount ?? 0,
    estimatedCost: toMicros(d.estimatedCost, 'estimatedCost'),
    recordedAt: new Date(recorded).toISOString(),
    streamSequence,
  };
}
