import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateIf,
} from 'class-validator';
import { defineEvent } from '../messages';
import { MONTH_PATTERN, QUOTA_TIERS, type QuotaTier } from './quota.constants';
import { MeterField, TenantIdField } from './quota.fields';

/**
 * Quota account events. An account is (tenant, meter, UTC month); its stream decides every grant,
 * so concurrent reservations can never pass the limit.
 */
abstract class QuotaAccountEvent {
  @TenantIdField()
  tenantId!: string;

  @MeterField()
  meter!: string;

  @Matches(MONTH_PATTERN)
  month!: string;
}

/** A tenant's tier changed (aggregate `Tenant`); limits of all its meters follow at once. */
export class TierSet {
  @TenantIdField()
  tenantId!: string;

  @IsIn(QUOTA_TIERS)
  tier!: QuotaTier;

  @IsIn(QUOTA_TIERS)
  previousTier!: QuotaTier;

  @IsISO8601()
  setAt!: string;
}

/** An explicit limit of a tenant's meter was set, or cleared (`limit: null`, back to the tier's). */
export class QuotaLimitSet {
  @TenantIdField()
  tenantId!: string;

  @MeterField()
  meter!: string;

  @ValidateIf((o: QuotaLimitSet) => o.limit !== null)
  @IsInt()
  @Min(0)
  limit!: number | null;

  @IsISO8601()
  setAt!: string;
}

/** Units were held for a reservation. */
export class QuotaReserved extends QuotaAccountEvent {
  @IsUUID() reservationId!: string;
  @IsInt() @Min(1) units!: number;

  @IsString()
  @Length(1, 200)
  idempotencyKey!: string;

  /** The limit in force when granted. */
  @IsInt() @Min(0) limit!: number;

  /** Units left this month right after this grant (the reply to repeats of the key). */
  @IsOptional() @IsInt() @Min(0) remaining?: number;

  /** The tier in force when granted. */
  @IsOptional() @IsIn(QUOTA_TIERS) tier?: QuotaTier;

  @IsISO8601() expiresAt!: string;
  @IsISO8601() reservedAt!: string;
}

/** A reservation became usage: `units` used, `releasedUnits` returned. */
export class QuotaReservationCommitted extends QuotaAccountEvent {
  @IsUUID() reservationId!: string;
  @IsInt() @Min(0) units!: number;
  @IsInt() @Min(0) releasedUnits!: number;
  @IsISO8601() committedAt!: string;
}

/** A reservation's units were given back by request. */
export class QuotaReservationReleased extends QuotaAccountEvent {
  @IsUUID() reservationId!: string;
  @IsInt() @Min(0) units!: number;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;

  @IsISO8601() releasedAt!: string;
}

/** A reservation passed its TTL uncommitted; its units were given back by the timer. */
export class QuotaReservationExpired extends QuotaAccountEvent {
  @IsUUID() reservationId!: string;
  @IsInt() @Min(0) units!: number;
  @IsISO8601() expiredAt!: string;
}

/** Units were used at once (`ConsumeQuota`). */
export class QuotaConsumed extends QuotaAccountEvent {
  @IsUUID() consumptionId!: string;
  @IsInt() @Min(1) units!: number;

  @IsString()
  @Length(1, 200)
  idempotencyKey!: string;

  /** The limit in force, the units left right after, and the tier. */
  @IsOptional() @IsInt() @Min(0) limit?: number;
  @IsOptional() @IsInt() @Min(0) remaining?: number;
  @IsOptional() @IsIn(QUOTA_TIERS) tier?: QuotaTier;

  @IsISO8601() consumedAt!: string;
}

/** A request for units was refused: not enough left this month. */
export class QuotaRefused extends QuotaAccountEvent {
  @IsInt() @Min(1) requestedUnits!: number;
  @IsInt() @Min(0) limit!: number;
  @IsInt() @Min(0) used!: number;
  @IsInt() @Min(0) reserved!: number;
  @IsInt() @Min(0) remaining!: number;

  @IsOptional() @IsIn(QUOTA_TIERS) tier?: QuotaTier;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;

  /** Start of the next UTC month. */
  @IsISO8601() resetsAt!: string;
  @IsISO8601() refusedAt!: string;
}

const aggregateType = 'QuotaAccount';

export const TierSetEvent = defineEvent('quota', 'TierSet', TierSet, {
  aggregateType: 'Tenant',
  summary: "A tenant's quota tier changed.",
});
export const QuotaLimitSetEvent = defineEvent('quota', 'QuotaLimitSet', QuotaLimitSet, {
  aggregateType,
  summary: "An explicit limit of a tenant's meter was set or cleared.",
});
export const QuotaReservedEvent = defineEvent('quota', 'QuotaReserved', QuotaReserved, {
  aggregateType,
  summary: 'Units of a monthly quota were reserved.',
});
export const QuotaReservationCommittedEvent = defineEvent(
  'quota',
  'QuotaReservationCommitted',
  QuotaReservationCommitted,
  { aggregateType, summary: 'A reservation became usage; unused units returned.' },
);
export const QuotaReservationReleasedEvent = defineEvent(
  'quota',
  'QuotaReservationReleased',
  QuotaReservationReleased,
  { aggregateType, summary: "A reservation's units were given back." },
);
export const QuotaReservationExpiredEvent = defineEvent(
  'quota',
  'QuotaReservationExpired',
  QuotaReservationExpired,
  { aggregateType, summary: 'A reservation expired uncommitted; its units were given back.' },
);
export const QuotaConsumedEvent = defineEvent('quota', 'QuotaConsumed', QuotaConsumed, {
  aggregateType,
  summary: 'Units of a monthly quota were used at once.',
});
export const QuotaRefusedEvent = defineEvent('quota', 'QuotaRefused', QuotaRefused, {
  aggregateType,
  summary: 'A quota request was refused (QUOTA_EXCEEDED).',
});
