import {
  DEFAULT_CATEGORY_THRESHOLDS,
  FLAG_DEFAULTS,
  type EmergencyStopped,
  type EventEnvelope,
  type FlagCreated,
  type FlagUpdated,
  type FlagView,
  type RampScheduled,
  type RampStepApplied,
  type RolloutPercentageChanged,
  type StrategyChanged,
} from '@rcp/contracts';

/** Event types that change a flag's configuration (the rest of `events.flags.>` does not). */
export const FLAG_CONFIG_EVENT_TYPES = [
  'FlagCreated',
  'FlagUpdated',
  'RolloutPercentageChanged',
  'StrategyChanged',
  'SubjectsAllowed',
  'SubjectsDisallowed',
  'SubjectsDenied',
  'SubjectsUndenied',
  'EmergencyStopped',
  'EmergencyStopReleased',
  'RampScheduled',
  'RampStepApplied',
  'RampCancelled',
  'FlagRolledBack',
] as const;

const CONFIG_TYPES: ReadonlySet<string> = new Set(FLAG_CONFIG_EVENT_TYPES);

export const isFlagConfigEvent = (type: string): boolean => CONFIG_TYPES.has(type);

/**
 * The flag view after one of its events (the read model every cache and the
 * `rollout_configuration` table hold). The caller checks that `event.aggregate.version` is the
 * view's `configVersion + 1`.
 */
export function applyFlagEvent(
  view: FlagView | undefined,
  event: EventEnvelope,
): FlagView | undefined {
  if (event.type === 'FlagCreated') return createdView(event.data as FlagCreated, event);
  if (!view) return undefined;
  const next = { ...changeOf(view, event), configVersion: event.aggregate.version };
  return { ...next, updatedAt: event.occurredAt };
}

function createdView(data: FlagCreated, event: EventEnvelope): FlagView {
  return {
    flag: data.flag,
    description: data.description ?? null,
    groupId: data.groupId,
    rolloutPercentage: data.rolloutPercentage,
    isActive: data.isActive,
    strategy: data.strategy,
    allowList: [...data.allowList],
    denyList: [...data.denyList],
    categories: [...data.categories],
    categoryThresholds: { ...(data.categoryThresholds ?? DEFAULT_CATEGORY_THRESHOLDS) },
    maxErrorRate: data.maxErrorRate,
    monitoringWindowHours: data.monitoringWindowHours,
    autoRollbackEnabled: data.autoRollbackEnabled,
    emergencyStop: FLAG_DEFAULTS.emergencyStop,
    emergencyStopSource: null,
    metadata: data.metadata,
    ramp: null,
    configVersion: event.aggregate.version,
    createdAt: data.createdAt,
    updatedAt: data.createdAt,
  };
}

type Lists = Pick<FlagView, 'allowList' | 'denyList'>;

function changeOf(view: FlagView, event: EventEnvelope): FlagView {
  const data = event.data as Record<string, unknown>;
  const ids = (data.subjectIds as string[] | undefined) ?? [];
  switch (event.type) {
    case 'FlagUpdated':
      return updated(view, (data as unknown as FlagUpdated).changes);
    case 'RolloutPercentageChanged':
      return {
        ...view,
        rolloutPercentage: (data as unknown as RolloutPercentageChanged).newPercentage,
      };
    case 'StrategyChanged':
      return { ...view, strategy: (data as unknown as StrategyChanged).newStrategy };
    case 'SubjectsAllowed':
      return { ...view, ...withList(view, 'allowList', ids, true) };
    case 'SubjectsDisallowed':
      return { ...view, ...withList(view, 'allowList', ids, false) };
    case 'SubjectsDenied':
      return { ...view, ...withList(view, 'denyList', ids, true) };
    case 'SubjectsUndenied':
      return { ...view, ...withList(view, 'denyList', ids, false) };
    case 'EmergencyStopped':
      return {
        ...view,
        emergencyStop: true,
        emergencyStopSource: (data as unknown as EmergencyStopped).source,
      };
    case 'EmergencyStopReleased':
      return { ...view, emergencyStop: false, emergencyStopSource: null };
    case 'RampScheduled':
      return { ...view, ramp: scheduledRamp(data as unknown as RampScheduled) };
    case 'RampStepApplied':
      return stepApplied(view, data as unknown as RampStepApplied);
    case 'RampCancelled':
      return { ...view, ramp: null };
    case 'FlagRolledBack':
      return { ...view, rolloutPercentage: 0, ramp: null };
    default:
      return view;
  }
}

function updated(view: FlagView, changes: FlagUpdated['changes']): FlagView {
  const next = { ...view };
  for (const [key, value] of Object.entries(changes))
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  return next;
}

function withList(view: FlagView, key: keyof Lists, ids: string[], add: boolean): Partial<Lists> {
  if (add) return { [key]: [...view[key], ...ids.filter((id) => !view[key].includes(id))] };
  const removed = new Set(ids);
  return { [key]: view[key].filter((id) => !removed.has(id)) };
}

function scheduledRamp(data: RampScheduled): FlagView['ramp'] {
  return {
    rampId: data.rampId,
    toPercentage: data.toPercentage,
    stepPercentage: data.stepPercentage,
    intervalMs: data.intervalMs,
    startAt: data.startAt,
    nextStepAt: data.startAt,
  };
}

function stepApplied(view: FlagView, data: RampStepApplied): FlagView {
  const ramp = view.ramp;
  if (!ramp || data.isFinal) return { ...view, rolloutPercentage: data.newPercentage, ramp: null };
  const next = Date.parse(ramp.startAt) + (data.stepIndex + 1) * ramp.intervalMs;
  return {
    ...view,
    rolloutPercentage: data.newPercentage,
    ramp: { ...ramp, nextStepAt: new Date(next).toISOString() },
  };
}
