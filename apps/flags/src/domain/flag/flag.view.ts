import type { FlagView } from '@rcp/contracts';
import { rampStepDueAt, type FlagState } from './flag';

/** The flag as replies show it (`updatedAt` is the time of the reply's command). */
export function flagViewOf(state: FlagState, now: Date): FlagView {
  const ramp = state.ramp;
  return {
    flag: state.flag,
    description: state.description,
    groupId: state.groupId,
    rolloutPercentage: state.rolloutPercentage,
    isActive: state.isActive,
    strategy: state.strategy,
    allowList: state.allowList,
    denyList: state.denyList,
    categories: state.categories,
    categoryThresholds: state.categoryThresholds,
    maxErrorRate: state.maxErrorRate,
    monitoringWindowHours: state.monitoringWindowHours,
    autoRollbackEnabled: state.autoRollbackEnabled,
    emergencyStop: state.emergencyStop,
    emergencyStopSource: state.emergencyStopSource,
    metadata: state.metadata,
    ramp: ramp && {
      rampId: ramp.rampId,
      toPercentage: ramp.toPercentage,
      stepPercentage: ramp.stepPercentage,
      intervalMs: ramp.intervalMs,
      startAt: ramp.startAt,
      nextStepAt: rampStepDueAt(ramp, ramp.nextStepIndex).toISOString(),
    },
    configVersion: state.version,
    createdAt: state.createdAt,
    updatedAt: now.toISOString(),
  };
}
