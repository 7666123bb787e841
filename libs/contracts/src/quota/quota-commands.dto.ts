import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { QUOTA_TIERS, type QuotaTier } from './quota.constants';
import { MeterField, TenantIdField, UnitsField } from './quota.fields';

/** Sets a tenant's tier; takes effect at once for all its meters, usage is kept. */
export class SetTier extends CommandDto {
  @TenantIdField()
  tenantId!: string;

  @IsIn(QUOTA_TIERS)
  tier!: QuotaTier;
}

/** Sets an explicit monthly limit for a tenant's meter (overrides the tier); `null` goes back to the tier's. */
export class SetQuotaLimit extends CommandDto {
  @TenantIdField()
  tenantId!: string;

  @MeterField()
  meter!: string;

  @ValidateIf((o: SetQuotaLimit) => o.limit !== null)
  @IsInt()
  @Min(0)
  limit!: number | null;
}

/**
 * Holds `units` of this month's quota until committed, released or expired (`ttlMs`, default 5 min).
 * The same `idempotencyKey` twice grants once and replies the same. Refused with `QUOTA_EXCEEDED`
 * (details carry `remaining` and `resetsAt`).
 */
export class ReserveQuota extends CommandDto {
  @TenantIdField()
  tenantId!: string;

  @MeterField()
  meter!: string;

  @UnitsField()
  units!: number;

  /** Chosen by the caller, unique per (tenant, meter) and intent. */
  @IsString()
  @Length(1, 200)
  idempotencyKey!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 3_600_000)
  ttlMs?: number;
}

/** Reply of `cmd.quota.ReserveQuota`. */
export interface ReserveQuotaReply {
  reservationId: string;
  /** Units left this month after this reservation. */
  remaining: number;
  month: string;
  expiresAt: string;
}

/** Turns a reservation into usage: `units` (default all reserved, at most reserved); the rest returns. */
export class CommitReservation extends CommandDto {
  @IsUUID()
  reservationId!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  units?: number;
}

/** Reply of `cmd.quota.CommitReservation`. */
export interface CommitReservationReply {
  reservationId: string;
  committed: number;
  released: number;
  remaining: number;
}

/** Gives a reservation's units back. */
export class ReleaseReservation extends CommandDto {
  @IsUUID()
  reservationId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

/** Reserve and commit at once. Same idempotency and refusal as `ReserveQuota`. */
export class ConsumeQuota extends CommandDto {
  @TenantIdField()
  tenantId!: string;

  @MeterField()
  meter!: string;

  @UnitsField()
  units!: number;

  @IsString()
  @Length(1, 200)
  idempotencyKey!: string;
}

/** Reply of `cmd.quota.ConsumeQuota`. */
export interface ConsumeQuotaReply {
  consumptionId: string;
  remaining: number;
  month: string;
}

/** `details[0].value` of a `QUOTA_EXCEEDED` error reply. */
export interface QuotaExceededDetails {
  tenantId: string;
  meter: string;
  month: string;
  requested: number;
  limit: number;
  used: number;
  reserved: number;
  remaining: number;
  resetsAt: string;
}

export const SetTierCommand = defineCommand(
  'quota',
  'SetTier',
  SetTier,
  "Set a tenant's quota tier.",
);
export const SetQuotaLimitCommand = defineCommand(
  'quota',
  'SetQuotaLimit',
  SetQuotaLimit,
  "Set or clear an explicit monthly limit of a tenant's meter.",
);
export const ReserveQuotaCommand = defineCommand(
  'quota',
  'ReserveQuota',
  ReserveQuota,
  'Hold units of this month’s quota, never past the limit.',
);
export const CommitReservationCommand = defineCommand(
  'quota',
  'CommitReservation',
  CommitReservation,
  'Turn a reservation into usage; unused units return.',
);
export const ReleaseReservationCommand = defineCommand(
  'quota',
  'ReleaseReservation',
  ReleaseReservation,
  'Give a reservation’s units back.',
);
export const ConsumeQuotaCommand = defineCommand(
  'quota',
  'ConsumeQuota',
  ConsumeQuota,
  'Reserve and commit at once.',
);
