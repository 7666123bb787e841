import { ConcurrencyConflictError } from '@rcp/domain';
import { isTransientError } from './transient-errors';

const pgError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('isTransientError', () => {
  it.each(['08006', '40001', '40P01', '53300', '57P01', '57P03', '55P03'])(
    'treats SQLSTATE %s as a moment, not the event',
    (code) => expect(isTransientError(pgError(code))).toBe(true),
  );

  it('treats lost connections and concurrency conflicts as transient', () => {
    expect(isTransientError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new ConcurrencyConflictError('Budget-1', 3))).toBe(true);
  });

  it.each(['23505', '22P02', '23502'])('lets SQLSTATE %s count toward dead-lettering', (code) =>
    expect(isTransientError(pgError(code))).toBe(false),
  );

  it('lets a handler error count toward dead-lettering', () => {
    expect(isTransientError(new Error('ApiUsageRecorded: invalid usageId: "x"'))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
  });
});
