import { fold } from '@rcp/domain';
import { initialFlagState, rampSteps, type FlagEvent, type FlagState } from './flag';
import type { FlagCommand } from './flag.commands';
import { flagDecider } from './flag.decide';

const now = new Date('2026-03-01T12:00:00.000Z');
const at = now.toISOString();
const cmd = { commandId: '00000000-0000-4000-8000-000000000001', actor: 'ops' };
const created: FlagEvent = {
  type: 'FlagCreated',
  data: {
    flag: 'f',
    groupId: 'f',
    rolloutPercentage: 10,
    isActive: true,
    strategy: 'percentage',
    allowList: [],
    denyList: [],
    categories: [],
    maxErrorRate: 5,
    monitoringWindowHours: 24,
    autoRollbackEnabled: true,
    metadata: {},
    createdAt: at,
  },
};
const ramp: FlagEvent = {
  type: 'RampScheduled',
  data: {
    flag: 'f',
    rampId: '00000000-0000-4000-8000-0000000000aa',
    fromPercentage: 10,
    stepPercentage: 15,
    toPercentage: 40,
    intervalMs: 1000,
    startAt: at,
    scheduledAt: at,
  },
};
const stopped: FlagEvent = {
  type: 'EmergencyStopped',
  data: { flag: 'f', source: 'flag', stoppedAt: at },
};

const given = (...events: FlagEvent[]): FlagState => fold(flagDecider, events);
const when = (state: FlagState, command: FlagCommand) => flagDecider.decide(command, state);
const types = (events: FlagEvent[]) => events.map((e) => e.type);
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

describe('Flag decider', () => {
  describe('CreateFlag', () => {
    it('creates a flag with seed 002 defaults and groupId = name', () => {
      const [event] = when(initialFlagState, {
        type: 'CreateFlag',
        input: { ...cmd, flag: 'new.flag' },
        now,
      });
      expect(event).toEqual({
        type: 'FlagCreated',
        data: expect.objectContaining({
          flag: 'new.flag',
          groupId: 'new.flag',
          rolloutPercentage: 0,
          isActive: false,
          strategy: 'percentage',
          maxErrorRate: 5,
          monitoringWindowHours: 24,
          autoRollbackEnabled: true,
          allowList: [],
          denyList: [],
          createdAt: at,
        }),
      });
    });
    it('refuses a second flag of the same name with ALREADY_EXISTS', () => {
      expect(
        refusal(() =>
          when(given(created), { type: 'CreateFlag', input: { ...cmd, flag: 'f' }, now }),
        ),
      ).toBe('ALREADY_EXISTS');
    });
  });

  it('refuses every command on an unknown flag with FLAG_NOT_FOUND', () => {
    const input = { ...cmd, flag: 'nope' };
    const commands: FlagCommand[] = [
      { type: 'UpdateFlag', input: { ...input, changes: { isActive: true } }, now },
      { type: 'SetRolloutPercentage', input: { ...input, percentage: 5 }, now },
      { type: 'SetStrategy', input: { ...input, strategy: 'whitelist' }, now },
      { type: 'AllowSubjects', input: { ...input, subjectIds: ['a'] }, now },
      { type: 'EmergencyStop', input: { flag: 'nope', reason: 'r' }, source: 'flag', now },
      { type: 'ReleaseEmergencyStop', input, now },
      {
        type: 'ScheduleRamp',
        input: {
          ...input,
          fromPercentage: 0,
          stepPercentage: 10,
          intervalMs: 10,
          toPercentage: 20,
        },
        rampId: 'r',
        now,
      },
      { type: 'CancelRamp', input, now },
    ];
    for (const command of commands)
      expect(refusal(() => when(initialFlagState, command))).toBe('FLAG_NOT_FOUND');
  });

  describe('UpdateFlag', () => {
    it('records only the fields that change', () => {
      const events = when(given(created), {
        type: 'UpdateFlag',
        input: { ...cmd, flag: 'f', changes: { isActive: true, maxErrorRate: 2.5 } },
        now,
      });
      expect(events).toEqual([
        { type: 'FlagUpdated', data: { flag: 'f', changes: { maxErrorRate: 2.5 }, updatedAt: at } },
      ]);
    });
    it('refuses an empty change with VALIDATION_FAILED', () => {
      expect(
        refusal(() =>
          when(given(created), {
            type: 'UpdateFlag',
            input: { ...cmd, flag: 'f', changes: {} },
            now,
          }),
        ),
      ).toBe('VALIDATION_FAILED');
    });
  });

  describe('SetRolloutPercentage', () => {
    it('changes the percentage, manual, with previous and new', () => {
      const [event] = when(given(created), {
        type: 'SetRolloutPercentage',
        input: { ...cmd, flag: 'f', percentage: 30 },
        now,
      });
      expect(event.data).toMatchObject({
        previousPercentage: 10,
        newPercentage: 30,
        triggeredBy: 'manual',
      });
    });
    it('cancels a running ramp first', () => {
      const events = when(given(created, ramp), {
        type: 'SetRolloutPercentage',
        input: { ...cmd, flag: 'f', percentage: 30 },
        now,
      });
      expect(types(events)).toEqual(['RampCancelled', 'RolloutPercentageChanged']);
    });
    it('does nothing when the percentage is already set', () => {
      expect(
        when(given(created), {
          type: 'SetRolloutPercentage',
          input: { ...cmd, flag: 'f', percentage: 10 },
          now,
        }),
      ).toEqual([]);
    });
  });

  it('SetStrategy switches the strategy and ignores a repeat', () => {
    const state = given(created);
    const [event] = when(state, {
      type: 'SetStrategy',
      input: { ...cmd, flag: 'f', strategy: 'category' },
      now,
    });
    expect(event.data).toMatchObject({ previousStrategy: 'percentage', newStrategy: 'category' });
    expect(
      when(state, {
        type: 'SetStrategy',
        input: { ...cmd, flag: 'f', strategy: 'percentage' },
        now,
      }),
    ).toEqual([]);
  });

  describe('subject lists', () => {
    const allowed = given(created, {
      type: 'SubjectsAllowed',
      data: { flag: 'f', subjectIds: ['a'], allowedAt: at },
    });
    it('allows only subjects not already allowed', () => {
      const events = when(allowed, {
        type: 'AllowSubjects',
        input: { ...cmd, flag: 'f', subjectIds: ['a', 'b', 'b'] },
        now,
      });
      expect(events).toEqual([
        { type: 'SubjectsAllowed', data: { flag: 'f', subjectIds: ['b'], allowedAt: at } },
      ]);
    });
    it('disallows only subjects on the list', () => {
      const events = when(allowed, {
        type: 'DisallowSubjects',
        input: { ...cmd, flag: 'f', subjectIds: ['a', 'z'] },
        now,
      });
      expect(events).toEqual([
        { type: 'SubjectsDisallowed', data: { flag: 'f', subjectIds: ['a'], disallowedAt: at } },
      ]);
    });
    it('denies and undenies', () => {
      const denied = when(allowed, {
        type: 'DenySubjects',
        input: { ...cmd, flag: 'f', subjectIds: ['x'] },
        now,
      });
      expect(types(denied)).toEqual(['SubjectsDenied']);
      const state = fold(flagDecider, [created, ...denied]);
      expect(state.denyList).toEqual(['x']);
      expect(
        types(
          when(state, {
            type: 'UndenySubjects',
            input: { ...cmd, flag: 'f', subjectIds: ['x'] },
            now,
          }),
        ),
      ).toEqual(['SubjectsUndenied']);
      expect(
        when(state, {
          type: 'UndenySubjects',
          input: { ...cmd, flag: 'f', subjectIds: ['y'] },
          now,
        }),
      ).toEqual([]);
    });
  });

  describe('emergency stop', () => {
    it('stops the flag, keeps the previous percentage and cancels a ramp', () => {
      const events = when(given(created, ramp), {
        type: 'EmergencyStop',
        input: { flag: 'f', reason: 'errors' },
        source: 'flag',
        now,
      });
      expect(types(events)).toEqual(['RampCancelled', 'EmergencyStopped']);
      expect(events[1].data).toMatchObject({
        source: 'flag',
        previousPercentage: 10,
        reason: 'errors',
      });
    });
    it('refuses a second manual stop but lets the environment override pass silently', () => {
      const state = given(created, stopped);
      expect(
        refusal(() =>
          when(state, {
            type: 'EmergencyStop',
            input: { flag: 'f', reason: 'r' },
            source: 'flag',
            now,
          }),
        ),
      ).toBe('INVALID_TRANSITION');
      expect(
        when(state, {
          type: 'EmergencyStop',
          input: { flag: 'f', reason: 'r' },
          source: 'environment',
          now,
        }),
      ).toEqual([]);
    });
    it('releases a stop, and refuses to release a flag that is not stopped', () => {
      expect(
        types(
          when(given(created, stopped), {
            type: 'ReleaseEmergencyStop',
            input: { ...cmd, flag: 'f' },
            now,
          }),
        ),
      ).toEqual(['EmergencyStopReleased']);
      expect(
        refusal(() =>
          when(given(created), { type: 'ReleaseEmergencyStop', input: { ...cmd, flag: 'f' }, now }),
        ),
      ).toBe('INVALID_TRANSITION');
    });
  });

  describe('ramps', () => {
    const schedule = (over: object = {}): FlagCommand => ({
      type: 'ScheduleRamp',
      input: {
        ...cmd,
        flag: 'f',
        fromPercentage: 10,
        stepPercentage: 15,
        intervalMs: 1000,
        toPercentage: 40,
        ...over,
      },
      rampId: 'ramp-2',
      now,
    });
    it('plans steps from, +step, … capped at to', () => {
      expect(rampSteps({ fromPercentage: 10, stepPercentage: 15, toPercentage: 40 })).toEqual([
        10, 25, 40,
      ]);
      expect(rampSteps({ fromPercentage: 50, stepPercentage: 10, toPercentage: 50 })).toEqual([50]);
    });
    it('schedules a ramp starting now, replacing a running one', () => {
      const events = when(given(created, ramp), schedule());
      expect(types(events)).toEqual(['RampCancelled', 'RampScheduled']);
      expect(events[1].data).toMatchObject({ rampId: 'ramp-2', startAt: at });
    });
    it('refuses a ramp that goes down, and a ramp on a stopped flag', () => {
      expect(refusal(() => when(given(created), schedule({ toPercentage: 5 })))).toBe(
        'VALIDATION_FAILED',
      );
      expect(refusal(() => when(given(created, stopped), schedule()))).toBe('INVALID_TRANSITION');
    });
    it('applies each step once, in order, the last one final, and ignores stale timers', () => {
      let state = given(created, ramp);
      const rampId = ramp.data.rampId as string;
      const seen: number[] = [];
      for (const stepIndex of [0, 1, 2]) {
        const events = when(state, { type: 'ApplyRampStep', flag: 'f', rampId, stepIndex, now });
        expect(events[0].data).toMatchObject({ stepIndex, isFinal: stepIndex === 2 });
        seen.push((events[0].data as { newPercentage: number }).newPercentage);
        expect(
          when(state, { type: 'ApplyRampStep', flag: 'f', rampId, stepIndex: stepIndex + 1, now }),
        ).toEqual([]);
        state = events.reduce(flagDecider.evolve, state);
      }
      expect(seen).toEqual([10, 25, 40]);
      expect(state.ramp).toBeNull();
      expect(when(state, { type: 'ApplyRampStep', flag: 'f', rampId, stepIndex: 0, now })).toEqual(
        [],
      );
    });
    it('cancels a ramp, and refuses to cancel when none runs', () => {
      expect(
        types(
          when(given(created, ramp), { type: 'CancelRamp', input: { ...cmd, flag: 'f' }, now }),
        ),
      ).toEqual(['RampCancelled']);
      expect(
        refusal(() =>
          when(given(created), { type: 'CancelRamp', input: { ...cmd, flag: 'f' }, now }),
        ),
      ).toBe('INVALID_TRANSITION');
    });
  });

  describe('RollBack', () => {
    const figures = (totalJobs: number, errorCount: number) => ({
      totalJobs,
      errorCount,
      errorRate: (errorCount * 100) / totalJobs,
      windowHours: 24,
    });
    it('does not fire under 10 jobs even at 100 % errors', () => {
      expect(
        when(given(created), { type: 'RollBack', flag: 'f', figures: figures(9, 9), now }),
      ).toEqual([]);
    });
    it('fires at 10 jobs over the maximum error rate: to 0 %, auto_rollback', () => {
      const events = when(given(created), {
        type: 'RollBack',
        flag: 'f',
        figures: figures(10, 1),
        now,
      });
      expect(events).toEqual([
        {
          type: 'FlagRolledBack',
          data: expect.objectContaining({
            previousPercentage: 10,
            newPercentage: 0,
            triggeredBy: 'auto_rollback',
            errorRate: 10,
            maxErrorRate: 5,
          }),
        },
      ]);
    });
    it('does not fire at exactly the maximum, at 0 %, or with auto-rollback off', () => {
      expect(
        when(given(created), { type: 'RollBack', flag: 'f', figures: figures(20, 1), now }),
      ).toEqual([]);
      const rolledBack = given(
        created,
        ...when(given(created), { type: 'RollBack', flag: 'f', figures: figures(10, 5), now }),
      );
      expect(rolledBack.rolledBackAt).toBe(at);
      expect(
        when(rolledBack, { type: 'RollBack', flag: 'f', figures: figures(10, 5), now }),
      ).toEqual([]);
      const off = given(created, {
        type: 'FlagUpdated',
        data: { flag: 'f', changes: { autoRollbackEnabled: false }, updatedAt: at },
      });
      expect(when(off, { type: 'RollBack', flag: 'f', figures: figures(10, 5), now })).toEqual([]);
    });
  });
});
