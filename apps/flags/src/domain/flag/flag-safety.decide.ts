import { ValidationError, InvalidTransitionError } from '@rcp/domain';
import { AUTO_ROLLBACK_MIN_JOBS } from '@rcp/contracts';
import { exceedsRate } from '../flag-metrics/flag-metrics';
import { rampSteps, requireFlag, type FlagEvent, type FlagState } from './flag';
import type { FlagCommand } from './flag.commands';

type Of<T extends FlagCommand['type']> = Extract<FlagCommand, { type: T }>;

/** A running ramp ends when anything else sets the percentage or stops the flag. */
function rampCancelled(state: FlagState, reason: string, now: Date): FlagEvent[] {
  if (!state.ramp) return [];
  const data = {
    flag: state.flag,
    reason,
    rampId: state.ramp.rampId,
    cancelledAt: now.toISOString(),
  };
  return [{ type: 'RampCancelled', data }];
}

export function setRolloutPercentage(
  { input, now }: Of<'SetRolloutPercentage'>,
  state: FlagState,
): FlagEvent[] {
  requireFlag(state, input.flag);
  if (state.rolloutPercentage === input.percentage && !state.ramp) return [];
  const change: FlagEvent = {
    type: 'RolloutPercentageChanged',
    data: {
      flag: input.flag,
      reason: input.reason,
      previousPercentage: state.rolloutPercentage,
      newPercentage: input.percentage,
      triggeredBy: 'manual',
      changedAt: now.toISOString(),
    },
  };
  return [...rampCancelled(state, 'the percentage was set by hand', now), change];
}

export function emergencyStop(
  { input, source, now }: Of<'EmergencyStop'>,
  state: FlagState,
): FlagEvent[] {
  requireFlag(state, input.flag);
  if (state.emergencyStop) {
    if (source === 'environment') return [];
    throw new InvalidTransitionError(`flag ${input.flag} is already stopped`, [
      { field: 'flag', message: 'emergency stop already on', value: input.flag },
    ]);
  }
  const stopped: FlagEvent = {
    type: 'EmergencyStopped',
    data: {
      flag: input.flag,
      reason: input.reason,
      source,
      previousPercentage: state.rolloutPercentage,
      stoppedAt: now.toISOString(),
    },
  };
  return [...rampCancelled(state, 'emergency stop', now), stopped];
}

export function releaseEmergencyStop(
  { input, now }: Of<'ReleaseEmergencyStop'>,
  state: FlagState,
): FlagEvent[] {
  requireFlag(state, input.flag);
  if (!state.emergencyStop)
    throw new InvalidTransitionError(`flag ${input.flag} is not stopped`, [
      { field: 'flag', message: 'no emergency stop to release', value: input.flag },
    ]);
  return [
    {
      type: 'EmergencyStopReleased',
      data: { flag: input.flag, reason: input.reason, releasedAt: now.toISOString() },
    },
  ];
}

export function scheduleRamp(
  { input, rampId, now }: Of<'ScheduleRamp'>,
  state: FlagState,
): FlagEvent[] {
  requireFlag(state, input.flag);
  if (input.toPercentage < input.fromPercentage)
    throw new ValidationError('a ramp goes up: toPercentage must be at least fromPercentage', [
      { field: 'toPercentage', message: 'must be >= fromPercentage', value: input.toPercentage },
    ]);
  if (state.emergencyStop)
    throw new InvalidTransitionError(
      `flag ${input.flag} is emergency-stopped; release it before ramping`,
    );
  const startAt = input.startAt ? new Date(input.startAt) : now;
  const scheduled: FlagEvent = {
    type: 'RampScheduled',
    data: {
      flag: input.flag,
      reason: input.reason,
      rampId,
      fromPercentage: input.fromPercentage,
      stepPercentage: input.stepPercentage,
      toPercentage: input.toPercentage,
      intervalMs: input.intervalMs,
      startAt: startAt.toISOString(),
      scheduledAt: now.toISOString(),
    },
  };
  return [...rampCancelled(state, 'replaced by a new ramp', now), scheduled];
}

export function cancelRamp({ input, now }: Of<'CancelRamp'>, state: FlagState): FlagEvent[] {
  requireFlag(state, input.flag);
  if (!state.ramp) throw new InvalidTransitionError(`flag ${input.flag} has no running ramp`);
  return rampCancelled(state, input.reason ?? 'cancelled', now);
}

/** A ramp timer fired: applies the step unless the ramp was cancelled or the step already ran. */
export function applyRampStep(
  { flag, rampId, stepIndex, now }: Of<'ApplyRampStep'>,
  state: FlagState,
): FlagEvent[] {
  const ramp = state.ramp;
  if (!state.exists || !ramp || ramp.rampId !== rampId || ramp.nextStepIndex !== stepIndex)
    return [];
  const steps = rampSteps(ramp);
  const data = {
    flag,
    reason: `ramp step ${stepIndex + 1} of ${steps.length}`,
    rampId,
    stepIndex,
    previousPercentage: state.rolloutPercentage,
    newPercentage: steps[stepIndex],
    isFinal: stepIndex === steps.length - 1,
    appliedAt: now.toISOString(),
  };
  return [{ type: 'RampStepApplied', data }];
}

/**
 * Auto-rollback: to 0 % when the window's error rate passes `maxErrorRate` with enough jobs. The
 * caller measures the window; a flag already at 0 % (or with auto-rollback off) does not move.
 */
export function rollBack({ flag, figures, now }: Of<'RollBack'>, state: FlagState): FlagEvent[] {
  if (!state.exists || !state.autoRollbackEnabled || state.rolloutPercentage === 0) return [];
  if (figures.totalJobs < AUTO_ROLLBACK_MIN_JOBS) return [];
  if (!exceedsRate(figures.errorCount, figures.totalJobs, state.maxErrorRate)) return [];
  const reason = `error rate ${figures.errorRate.toFixed(2)} % over ${state.maxErrorRate.toFixed(2)} %`;
  const rolledBack: FlagEvent = {
    type: 'FlagRolledBack',
    data: {
      flag,
      reason,
      ...figures,
      previousPercentage: state.rolloutPercentage,
      newPercentage: 0,
      maxErrorRate: state.maxErrorRate,
      triggeredBy: 'auto_rollback',
      rolledBackAt: now.toISOString(),
    },
  };
  return [...rampCancelled(state, 'auto-rollback', now), rolledBack];
}
