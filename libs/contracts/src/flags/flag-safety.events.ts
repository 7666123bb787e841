import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { defineEvent } from '../messages';
import {
  EMERGENCY_STOP_SOURCES,
  TRIGGERED_BY,
  type EmergencyStopSource,
  type TriggeredBy,
} from './flag.constants';
import { FlagEventBase } from './flag-event-base.dto';

/** The kill switch was thrown: the flag is off for everyone. */
export class EmergencyStopped extends FlagEventBase {
  /** `flag` (a command) or `environment` (the `FLAGS_EMERGENCY_STOP` override seen at start). */
  @IsIn(EMERGENCY_STOP_SOURCES)
  source!: EmergencyStopSource;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  previousPercentage?: number;

  @IsISO8601()
  stoppedAt!: string;
}

/** The kill switch was released. */
export class EmergencyStopReleased extends FlagEventBase {
  @IsISO8601()
  releasedAt!: string;
}

/** Error-rate figures over the flag's monitoring window. */
abstract class ErrorRateFigures extends FlagEventBase {
  /** Percent, two decimals. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  errorRate!: number;

  @IsInt() @Min(0) errorCount!: number;
  @IsInt() @Min(0) totalJobs!: number;
  @IsInt() @Min(1) windowHours!: number;
}

/**
 * Auto-rollback: the error rate passed `maxErrorRate` with at least 10 jobs in the window, so the
 * percentage was set to 0 (`triggeredBy: auto_rollback`). Fires once per breach.
 */
export class FlagRolledBack extends ErrorRateFigures {
  @IsInt() @Min(0) @Max(100) previousPercentage!: number;
  @IsInt() @Min(0) @Max(0) newPercentage!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  maxErrorRate!: number;

  @IsIn(TRIGGERED_BY)
  triggeredBy!: TriggeredBy;

  @IsISO8601()
  rolledBackAt!: string;
}

/** An error-rate alert: over 2.5 % (warning) or 10 % (critical). */
abstract class ErrorRateAlert extends ErrorRateFigures {
  /** The alert level crossed, in percent. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  thresholdPercent!: number;

  @IsISO8601()
  detectedAt!: string;
}

/** The error rate rose above the warning level (2.5 %). */
export class ErrorRateWarning extends ErrorRateAlert {}

/** The error rate rose above the critical level (10 %). */
export class ErrorRateCritical extends ErrorRateAlert {}

export const EmergencyStoppedEvent = defineEvent('flags', 'EmergencyStopped', EmergencyStopped, {
  aggregateType: 'Flag',
  summary: 'A flag was switched off for everyone (kill switch).',
});
export const EmergencyStopReleasedEvent = defineEvent(
  'flags',
  'EmergencyStopReleased',
  EmergencyStopReleased,
  {
    aggregateType: 'Flag',
    summary: "A flag's kill switch was released.",
  },
);
export const FlagRolledBackEvent = defineEvent('flags', 'FlagRolledBack', FlagRolledBack, {
  aggregateType: 'Flag',
  summary: 'Auto-rollback set a flag to 0 % after its error rate passed the maximum.',
});
export const ErrorRateWarningEvent = defineEvent('flags', 'ErrorRateWarning', ErrorRateWarning, {
  aggregateType: 'FlagMetrics',
  summary: "A flag's error rate rose above 2.5 %.",
});
export const ErrorRateCriticalEvent = defineEvent('flags', 'ErrorRateCritical', ErrorRateCritical, {
  aggregateType: 'FlagMetrics',
  summary: "A flag's error rate rose above 10 %.",
});
