import { fold } from '@rcp/domain';
import type { BudgetEvent } from './budget';
import { budgetDecider, type BudgetCommand } from './budget.decide';

const rollout = { stateRolloutId: '5d3c8a52-3a43-4b39-9a55-0f0e4c6d2a11', stateCode: 'TX' };
const now = new Date('2026-03-01T12:00:00Z');
const run = (commands: Array<Partial<BudgetCommand>>) => {
  const events: BudgetEvent[] = [];
  for (const command of commands) {
    const state = fold(budgetDecider, events);
    events.push(
      ...budgetDecider.decide(
        { ...rollout, now, spent: '0', type: 'RecordSpend', ...command } as BudgetCommand,
        state,
      ),
    );
  }
  return events;
};
const setBudget = (budget: string, extra: Partial<BudgetCommand> = {}) =>
  ({ type: 'SetBudget', budget, source: 'command', ...extra }) as Partial<BudgetCommand>;
const summary = (events: BudgetEvent[]) =>
  events.map((e) =>
    e.type === 'BudgetThresholdReached' ? `${e.type}:${e.data.thresholdPercent}` : e.type,
  );

describe('budget decider', () => {
  it('fires 50 % and 80 % once each, in order, then BudgetExceeded once', () => {
    const events = run([
      setBudget('10.00'),
      { spent: '4.99' },
      { spent: '5.00' },
      { spent: '6.00' },
      { spent: '9.00' },
      { spent: '10.00' },
      { spent: '10.000001' },
      { spent: '12.00' },
    ]);
    expect(summary(events)).toEqual([
      'BudgetSet',
      'BudgetThresholdReached:50',
      'BudgetThresholdReached:80',
      'BudgetExceeded',
    ]);
    expect(events[3].data).toMatchObject({ ...rollout, spent: '10.000001', budget: '10.00' });
  });

  it('announces every threshold crossed by one jump, ascending', () => {
    expect(
      summary(run([setBudget('1', { thresholdPercents: [80, 25, 50] }), { spent: '2' }])),
    ).toEqual([
      'BudgetSet',
      'BudgetThresholdReached:25',
      'BudgetThresholdReached:50',
      'BudgetThresholdReached:80',
      'BudgetExceeded',
    ]);
  });

  it('fires at once when a budget is set below what was already spent', () => {
    expect(summary(run([setBudget('1.00', { spent: '0.90' })]))).toEqual([
      'BudgetSet',
      'BudgetThresholdReached:50',
      'BudgetThresholdReached:80',
    ]);
  });

  it('ignores a budget set again unchanged, and re-arms the excess on a new budget', () => {
    const events = run([
      setBudget('1.00'),
      { spent: '2.00' },
      setBudget('1.00', { spent: '2.00' }),
      setBudget('3.00', { spent: '2.00' }),
      { spent: '3.50' },
    ]);
    expect(summary(events)).toEqual([
      'BudgetSet',
      'BudgetThresholdReached:50',
      'BudgetThresholdReached:80',
      'BudgetExceeded',
      'BudgetSet',
      'BudgetExceeded',
    ]);
  });

  it('does nothing without a budget, and refuses a budget of 0', () => {
    expect(run([{ spent: '100' }])).toEqual([]);
    expect(() => run([setBudget('0')])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
