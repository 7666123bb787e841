import {
  DEFAULT_CATEGORY_THRESHOLDS,
  ERROR_CODES,
  type CategoryThresholds,
  type EmergencyStopped,
  type EmergencyStopReleased,
  type EmergencyStopSource,
  type FlagCreated,
  type FlagRolledBack,
  type FlagStrategy,
  type FlagUpdated,
  type RampCancelled,
  type RampScheduled,
  type RampStepApplied,
  type RolloutPercentageChanged,
  type StrategyChanged,
  type SubjectCategory,
  type SubjectsAllowed,
  type SubjectsDenied,
  type SubjectsDisallowed,
  type SubjectsUndenied,
} from '@rcp/contracts';
import { assertNever, DomainError } from '@rcp/domain';

export type FlagEvent =
  | { type: 'FlagCreated'; data: FlagCreated }
  | { type: 'FlagUpdated'; data: FlagUpdated }
  | { type: 'RolloutPercentageChanged'; data: RolloutPercentageChanged }
  | { type: 'StrategyChanged'; data: StrategyChanged }
  | { type: 'SubjectsAllowed'; data: SubjectsAllowed }
  | { type: 'SubjectsDisallowed'; data: SubjectsDisallowed }
  | { type: 'SubjectsDenied'; data: SubjectsDenied }
  | { type: 'SubjectsUndenied'; data: SubjectsUndenied }
  | { type: 'EmergencyStopped'; data: EmergencyStopped }
  | { type: 'EmergencyStopReleased'; data: EmergencyStopReleased }
  | { type: 'RampScheduled'; data: RampScheduled }
  | { type: 'RampStepApplied'; data: RampStepApplied }
  | { type: 'RampCancelled'; data: RampCancelled }
  | { type: 'FlagRolledBack'; data: FlagRolledBack };

/** A running ramp: its plan and the index of the step its timer applies next. */
export interface RampState {
  rampId: string;
  fromPercentage: number;
  stepPercentage: number;
  toPercentage: number;
  intervalMs: number;
  startAt: string;
  nextStepIndex: number;
}

export interface FlagState {
  exists: boolean;
  flag: string;
  description: string | null;
  groupId: string;
  rolloutPercentage: number;
  isActive: boolean;
  strategy: FlagStrategy;
  allowList: string[];
  denyList: string[];
  categories: SubjectCategory[];
  categoryThresholds: CategoryThresholds;
  maxErrorRate: number;
  monitoringWindowHours: number;
  autoRollbackEnabled: boolean;
  emergencyStop: boolean;
  emergencyStopSource: EmergencyStopSource | null;
  metadata: Record<string, unknown>;
  ramp: RampState | null;
  /** Jobs before the last auto-rollback no longer count towards the next one. */
  rolledBackAt: string | null;
  createdAt: string;
  /** Events applied: the flag's `configVersion`. */
  version: number;
}

export const initialFlagState: FlagState = {
  exists: false,
  flag: '',
  description: null,
  groupId: '',
  rolloutPercentage: 0,
  isActive: false,
  strategy: 'percentage',
  allowList: [],
  denyList: [],
  categories: [],
  categoryThresholds: DEFAULT_CATEGORY_THRESHOLDS,
  maxErrorRate: 5,
  monitoringWindowHours: 24,
  autoRollbackEnabled: true,
  emergencyStop: false,
  emergencyStopSource: null,
  metadata: {},
  ramp: null,
  rolledBackAt: null,
  createdAt: '',
  version: 0,
};

export function evolveFlag(state: FlagState, event: FlagEvent): FlagState {
  return { ...applyEvent(state, event), version: state.version + 1 };
}

function applyEvent(state: FlagState, event: FlagEvent): FlagState {
  switch (event.type) {
    case 'FlagCreated':
      return created(event.data);
    case 'FlagUpdated':
      return { ...state, ...definedOnly(event.data.changes) };
    case 'RolloutPercentageChanged':
      return { ...state, rolloutPercentage: event.data.newPercentage };
    case 'StrategyChanged':
      return { ...state, strategy: event.data.newStrategy };
    case 'SubjectsAllowed':
      return { ...state, allowList: added(state.allowList, event.data.subjectIds) };
    case 'SubjectsDisallowed':
      return { ...state, allowList: removed(state.allowList, event.data.subjectIds) };
    case 'SubjectsDenied':
      return { ...state, denyList: added(state.denyList, event.data.subjectIds) };
    case 'SubjectsUndenied':
      return { ...state, denyList: removed(state.denyList, event.data.subjectIds) };
    case 'EmergencyStopped':
      return { ...state, emergencyStop: true, emergencyStopSource: event.data.source };
    case 'EmergencyStopReleased':
      return { ...state, emergencyStop: false, emergencyStopSource: null };
    case 'RampScheduled':
      return { ...state, ramp: { ...rampOf(event.data), nextStepIndex: 0 } };
    case 'RampStepApplied':
      return stepApplied(state, event.data);
    case 'RampCancelled':
      return { ...state, ramp: null };
    case 'FlagRolledBack':
      return { ...state, rolloutPercentage: 0, ramp: null, rolledBackAt: event.data.rolledBackAt };
    default:
      return assertNever(event);
  }
}

function created(data: FlagCreated): FlagState {
  return {
    ...initialFlagState,
    exists: true,
    flag: data.flag,
    description: data.description ?? null,
    groupId: data.groupId,
    rolloutPercentage: data.rolloutPercentage,
    isActive: data.isActive,
    strategy: data.strategy,
    allowList: data.allowList,
    denyList: data.denyList,
    categories: data.categories,
    categoryThresholds: data.categoryThresholds ?? DEFAULT_CATEGORY_THRESHOLDS,
    maxErrorRate: data.maxErrorRate,
    monitoringWindowHours: data.monitoringWindowHours,
    autoRollbackEnabled: data.autoRollbackEnabled,
    metadata: data.metadata,
    createdAt: data.createdAt,
  };
}

function rampOf(data: RampScheduled): Omit<RampState, 'nextStepIndex'> {
  const { rampId, fromPercentage, stepPercentage, toPercentage, intervalMs, startAt } = data;
  return { rampId, fromPercentage, stepPercentage, toPercentage, intervalMs, startAt };
}

function stepApplied(state: FlagState, data: RampStepApplied): FlagState {
  const ramp =
    data.isFinal || !state.ramp ? null : { ...state.ramp, nextStepIndex: data.stepIndex + 1 };
  return { ...state, rolloutPercentage: data.newPercentage, ramp };
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

const added = (list: string[], ids: string[]) => [
  ...list,
  ...ids.filter((id) => !list.includes(id)),
];
const removed = (list: string[], ids: string[]) => list.filter((id) => !ids.includes(id));

/** Percentages of a ramp's steps: `from`, then `+step` each interval, capped at `to`. */
export function rampSteps(
  ramp: Pick<RampState, 'fromPercentage' | 'stepPercentage' | 'toPercentage'>,
): number[] {
  const steps = [ramp.fromPercentage];
  while (steps[steps.length - 1] < ramp.toPercentage)
    steps.push(Math.min(ramp.toPercentage, steps[steps.length - 1] + ramp.stepPercentage));
  return steps;
}

/** When step `index` of a ramp is due. */
export function rampStepDueAt(
  ramp: Pick<RampState, 'startAt' | 'intervalMs'>,
  index: number,
): Date {
  return new Date(Date.parse(ramp.startAt) + index * ramp.intervalMs);
}

/** Refuses a command on a flag that does not exist. */
export function requireFlag(state: FlagState, flag: string): void {
  if (!state.exists)
    throw new DomainError(ERROR_CODES.FLAG_NOT_FOUND, `no flag named ${flag}`, [
      { field: 'flag', message: 'unknown flag', value: flag },
    ]);
}
