import type { RecordJobOutcome } from '@rcp/contracts';
import { errorRateOf, exceedsRate, healthOf, recordJobOutcome } from './flag-metrics';

const now = new Date('2026-03-01T12:00:00.000Z');
const outcome = (success: boolean): RecordJobOutcome => ({
  commandId: '00000000-0000-4000-8000-000000000001',
  actor: 'discovery',
  flag: 'f',
  subjectId: 's1',
  processor: 'text_search_paged',
  success,
  durationMs: 120,
  ...(success ? {} : { error: 'boom' }),
});

describe('job outcomes and alert levels', () => {
  it('computes error rates in percent with two decimals and compares exactly', () => {
    expect(errorRateOf(1, 3)).toBe(33.33);
    expect(errorRateOf(0, 0)).toBe(0);
    expect(exceedsRate(1, 20, 5)).toBe(false);
    expect(exceedsRate(2, 21, 5)).toBe(true);
  });

  it('stays ok under 10 jobs, then warns over 2.5 % and is critical over 10 %', () => {
    expect(healthOf({ totalJobs: 9, errorCount: 9 })).toBe('ok');
    expect(healthOf({ totalJobs: 40, errorCount: 1 })).toBe('ok');
    expect(healthOf({ totalJobs: 39, errorCount: 1 })).toBe('warning');
    expect(healthOf({ totalJobs: 10, errorCount: 2 })).toBe('critical');
  });

  it('given a window, when an outcome is recorded, then the event carries the job and the new figures', () => {
    const { events, figures } = recordJobOutcome(
      outcome(false),
      { totalJobs: 3, errorCount: 0 },
      24,
      now,
    );
    expect(events).toEqual([
      {
        type: 'JobOutcomeRecorded',
        data: {
          flag: 'f',
          subjectId: 's1',
          processor: 'text_search_paged',
          success: false,
          durationMs: 120,
          error: 'boom',
          occurredAt: now.toISOString(),
          recordedAt: now.toISOString(),
        },
      },
    ]);
    expect(figures).toEqual({ totalJobs: 4, errorCount: 1, errorRate: 25, windowHours: 24 });
  });

  it('emits an alert only when the level rises', () => {
    const warning = recordJobOutcome(outcome(false), { totalJobs: 20, errorCount: 0 }, 24, now);
    expect(warning.events.map((e) => e.type)).toEqual(['JobOutcomeRecorded', 'ErrorRateWarning']);
    expect(warning.events[1].data).toMatchObject({
      thresholdPercent: 2.5,
      totalJobs: 21,
      errorCount: 1,
    });
    const critical = recordJobOutcome(outcome(false), { totalJobs: 9, errorCount: 9 }, 24, now);
    expect(critical.events.map((e) => e.type)).toEqual(['JobOutcomeRecorded', 'ErrorRateCritical']);
    const still = recordJobOutcome(outcome(false), { totalJobs: 10, errorCount: 10 }, 24, now);
    expect(still.events.map((e) => e.type)).toEqual(['JobOutcomeRecorded']);
  });
});
