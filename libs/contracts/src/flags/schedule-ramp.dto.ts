import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { defineCommand } from '../messages';
import { FlagCommand } from './flag-commands.dto';

/**
 * Ramps a flag up on a schedule: sets `fromPercentage` at `startAt` (default now), then adds
 * `stepPercentage` every `intervalMs` until `toPercentage`. Each step is applied by a durable timer
 * and audited (`triggered_by: schedule`). A later percentage change, rollback or emergency stop
 * cancels the ramp; a new ramp replaces the running one.
 */
export class ScheduleRamp extends FlagCommand {
  @IsInt()
  @Min(0)
  @Max(100)
  fromPercentage!: number;

  @IsInt()
  @Min(1)
  @Max(100)
  stepPercentage!: number;

  /** Time between two steps, in ms (at least 1 so tests can run fast). */
  @IsInt()
  @Min(1)
  @Max(90 * 24 * 3_600_000)
  intervalMs!: number;

  @IsInt()
  @Min(0)
  @Max(100)
  toPercentage!: number;

  @IsOptional()
  @IsISO8601()
  startAt?: string;
}

/** Cancels a flag's running ramp; the percentage stays where it is. */
export class CancelRamp extends FlagCommand {}

/** Reply of `cmd.flags.ScheduleRamp`. */
export interface ScheduleRampReply {
  rampId: string;
  steps: { percentage: number; at: string }[];
}

export const ScheduleRampCommand = defineCommand(
  'flags',
  'ScheduleRamp',
  ScheduleRamp,
  "Ramp a flag's percentage up step by step on a schedule.",
);
export const CancelRampCommand = defineCommand(
  'flags',
  'CancelRamp',
  CancelRamp,
  "Cancel a flag's running ramp.",
);
