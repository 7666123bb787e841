import { ERROR_CODES, FLAG_DEFAULTS, type FlagSettingsDto } from '@rcp/contracts';
import { assertNever, DomainError, ValidationError, type Decider } from '@rcp/domain';
import { evolveFlag, initialFlagState, requireFlag, type FlagEvent, type FlagState } from './flag';
import type { FlagCommand } from './flag.commands';
import {
  applyRampStep,
  cancelRamp,
  emergencyStop,
  releaseEmergencyStop,
  rollBack,
  scheduleRamp,
  setRolloutPercentage,
} from './flag-safety.decide';

type Of<T extends FlagCommand['type']> = Extract<FlagCommand, { type: T }>;

export function createFlag({ input, now }: Of<'CreateFlag'>, state: FlagState): FlagEvent[] {
  if (state.exists)
    throw new DomainError(ERROR_CODES.ALREADY_EXISTS, `flag ${input.flag} already exists`, [
      { field: 'flag', message: 'already exists', value: input.flag },
    ]);
  const s: FlagSettingsDto = input.settings ?? {};
  const unique = (list?: string[]) => [...new Set(list ?? [])];
  const data = {
    flag: input.flag,
    reason: input.reason,
    description: s.description,
    groupId: s.groupId ?? input.flag,
    rolloutPercentage: input.rolloutPercentage ?? FLAG_DEFAULTS.rolloutPercentage,
    isActive: s.isActive ?? FLAG_DEFAULTS.isActive,
    strategy: input.strategy ?? FLAG_DEFAULTS.strategy,
    allowList: unique(input.allowList),
    denyList: unique(input.denyList),
    categories: s.categories ?? [],
    categoryThresholds: s.categoryThresholds,
    maxErrorRate: s.maxErrorRate ?? FLAG_DEFAULTS.maxErrorRate,
    monitoringWindowHours: s.monitoringWindowHours ?? FLAG_DEFAULTS.monitoringWindowHours,
    autoRollbackEnabled: s.autoRollbackEnabled ?? FLAG_DEFAULTS.autoRollbackEnabled,
    metadata: s.metadata ?? {},
    createdAt: now.toISOString(),
  };
  return [{ type: 'FlagCreated', data: JSON.parse(JSON.stringify(data)) }];
}

export function updateFlag({ input, now }: Of<'UpdateFlag'>, state: FlagState): FlagEvent[] {
  requireFlag(state, input.flag);
  const entries = Object.entries(input.changes ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0)
    throw new ValidationError('UpdateFlag needs at least one change', [
      { field: 'changes', message: 'no fields to change' },
    ]);
  const current = state as unknown as Record<string, unknown>;
  const changed = entries.filter(
    ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
  );
  if (changed.length === 0) return [];
  const changes = JSON.parse(JSON.stringify(Object.fromEntries(changed))) as FlagSettingsDto;
  return [
    {
      type: 'FlagUpdated',
      data: { flag: input.flag, reason: input.reason, changes, updatedAt: now.toISOString() },
    },
  ];
}

export function setStrategy({ input, now }: Of<'SetStrategy'>, state: FlagState): FlagEvent[] {
  requireFlag(state, input.flag);
  if (state.strategy === input.strategy) return [];
  const data = {
    flag: input.flag,
    reason: input.reason,
    previousStrategy: state.strategy,
    newStrategy: input.strategy,
    changedAt: now.toISOString(),
  };
  return [{ type: 'StrategyChanged', data }];
}

export function changeSubjects(
  command: Of<'AllowSubjects' | 'DisallowSubjects' | 'DenySubjects' | 'UndenySubjects'>,
  state: FlagState,
): FlagEvent[] {
  const { input, now } = command;
  requireFlag(state, input.flag);
  const at = now.toISOString();
  const base = (ids: string[]) => ({ flag: input.flag, reason: input.reason, subjectIds: ids });
  const adding = (list: string[]) =>
    [...new Set(input.subjectIds)].filter((id) => !list.includes(id));
  const removing = (list: string[]) =>
    [...new Set(input.subjectIds)].filter((id) => list.includes(id));
  const events: FlagEvent[] = [];
  const push = (ids: string[], event: (ids: string[]) => FlagEvent) =>
    ids.length > 0 && events.push(event(ids));
  switch (command.type) {
    case 'AllowSubjects':
      push(adding(state.allowList), (ids) => ({
        type: 'SubjectsAllowed',
        data: { ...base(ids), allowedAt: at },
      }));
      break;
    case 'DisallowSubjects':
      push(removing(state.allowList), (ids) => ({
        type: 'SubjectsDisallowed',
        data: { ...base(ids), disallowedAt: at },
      }));
      break;
    case 'DenySubjects':
      push(adding(state.denyList), (ids) => ({
        type: 'SubjectsDenied',
        data: { ...base(ids), deniedAt: at },
      }));
      break;
    case 'UndenySubjects':
      push(removing(state.denyList), (ids) => ({
        type: 'SubjectsUndenied',
        data: { ...base(ids), undeniedAt: at },
      }));
      break;
  }
  return events;
}

export function decideFlag(command: FlagCommand, state: FlagState): FlagEvent[] {
  switch (command.type) {
    case 'CreateFlag':
      return createFlag(command, state);
    case 'UpdateFlag':
      return updateFlag(command, state);
    case 'SetRolloutPercentage':
      return setRolloutPercentage(command, state);
    case 'SetStrategy':
      return setStrategy(command, state);
    case 'AllowSubjects':
    case 'DisallowSubjects':
    case 'DenySubjects':
    case 'UndenySubjects':
      return changeSubjects(command, state);
    case 'EmergencyStop':
      return emergencyStop(command, state);
    case 'ReleaseEmergencyStop':
      return releaseEmergencyStop(command, state);
    case 'ScheduleRamp':
      return scheduleRamp(command, state);
    case 'CancelRamp':
      return cancelRamp(command, state);
    case 'ApplyRampStep':
      return applyRampStep(command, state);
    case 'RollBack':
      return rollBack(command, state);
    default:
      return assertNever(command);
  }
}

export const flagDecider: Decider<FlagCommand, FlagEvent, FlagState> = {
  initialState: initialFlagState,
  evolve: evolveFlag,
  decide: decideFlag,
};
