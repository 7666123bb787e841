import { IsBoolean, IsInt, IsISO8601, IsUUID, Max, Min } from 'class-validator';
import { defineEvent } from '../messages';
import { FlagEventBase } from './flag-event-base.dto';

/** A ramp was scheduled; a durable timer applies each step. */
export class RampScheduled extends FlagEventBase {
  @IsUUID() rampId!: string;
  @IsInt() @Min(0) @Max(100) fromPercentage!: number;
  @IsInt() @Min(1) @Max(100) stepPercentage!: number;
  @IsInt() @Min(0) @Max(100) toPercentage!: number;
  @IsInt() @Min(1) intervalMs!: number;

  /** When the first step (`fromPercentage`) applies. */
  @IsISO8601() startAt!: string;
  @IsISO8601() scheduledAt!: string;
}

/** A ramp step set the percentage (`triggered_by: schedule`). */
export class RampStepApplied extends FlagEventBase {
  @IsUUID() rampId!: string;

  /** 0 for the first step. */
  @IsInt() @Min(0) stepIndex!: number;
  @IsInt() @Min(0) @Max(100) previousPercentage!: number;
  @IsInt() @Min(0) @Max(100) newPercentage!: number;

  /** True when `newPercentage` is the ramp's target. */
  @IsBoolean() isFinal!: boolean;
  @IsISO8601() appliedAt!: string;
}

/** A ramp was cancelled (by command, a manual percentage, a rollback or an emergency stop). */
export class RampCancelled extends FlagEventBase {
  @IsUUID() rampId!: string;
  @IsISO8601() cancelledAt!: string;
}

export const RampScheduledEvent = defineEvent('flags', 'RampScheduled', RampScheduled, {
  aggregateType: 'Flag',
  summary: 'A percentage ramp was scheduled for a flag.',
});
export const RampStepAppliedEvent = defineEvent('flags', 'RampStepApplied', RampStepApplied, {
  aggregateType: 'Flag',
  summary: 'A ramp step set the percentage of a flag.',
});
export const RampCancelledEvent = defineEvent('flags', 'RampCancelled', RampCancelled, {
  aggregateType: 'Flag',
  summary: 'A running ramp of a flag was cancelled.',
});
