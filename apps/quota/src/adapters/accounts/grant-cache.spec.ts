import type { BatchReadKeys } from './batch-store';
import { GrantCache } from './grant-cache';

const streams = { account: 'QuotaAccount-t/m/2030-01', settings: ['Tenant-t', 'QuotaAccount-t/m'] };
const keys: BatchReadKeys = {
  commandIds: ['c1'],
  accountStreams: [streams.account],
  settingStreams: streams.settings,
  grantStreams: [streams.account],
  grantKeys: ['k'],
};
const account = { version: 7, snapshotVersion: 0, state: { used: 2, reserved: 3 } };

describe('GrantCache', () => {
  let clock = 0;
  let cache: GrantCache;
  const read = {
    keys,
    read: {
      seen: new Map(),
      settings: new Map([['Tenant-t', { version: 2, data: { tier: 'pro' } }]]),
      accounts: new Map(),
      grants: new Map(),
    },
  };

  beforeEach(() => {
    clock = 1_000;
    cache = new GrantCache({ maxAccounts: 2, contendedMs: 1_000 }, () => clock);
  });

  it('covers a grant only once its account and both settings streams are known', () => {
    expect(cache.covers(streams)).toBe(false);
    cache.remember([[streams.account, account]]);
    expect(cache.covers(streams)).toBe(false);
    cache.remember([[streams.account, account]], read);
    expect(cache.covers(streams)).toBe(true);
  });

  it('gives the versions a batch assumed, 0 for a setting never made', () => {
    cache.remember([[streams.account, account]], read);
    expect(Object.fromEntries(cache.versionsOf(keys))).toEqual({
      [streams.account]: 7,
      'Tenant-t': 2,
      'QuotaAccount-t/m': 0,
    });
    const asRead = cache.readOf(keys);
    expect(asRead.accounts.get(streams.account)).toEqual({ ...account, tail: [] });
    expect([...asRead.settings.keys()]).toEqual(['Tenant-t']);
    expect(asRead.seen.size + asRead.grants.size).toBe(0);
  });

  it('reads a stream another writer moved for contendedMs, then caches it again', () => {
    cache.remember([[streams.account, account]], read);
    cache.staleSince(cache.mark(), [streams.account]);
    cache.remember([[streams.account, account]], read);
    expect(cache.covers(streams)).toBe(false);
    clock += 1_001;
    cache.remember([[streams.account, account]], read);
    expect(cache.covers(streams)).toBe(true);
  });

  it('does not call a stream contended when a write of its own process moved it', () => {
    cache.remember([[streams.account, account]], read);
    const decidedAt = cache.mark();
    cache.written([streams.account]);
    expect(cache.covers(streams)).toBe(false);
    cache.staleSince(decidedAt, [streams.account]);
    cache.remember([[streams.account, account]], read);
    expect(cache.covers(streams)).toBe(true);
  });

  it('forgets settings a local command is about to change', () => {
    cache.remember([[streams.account, account]], read);
    cache.written(['Tenant-t']);
    expect(cache.covers(streams)).toBe(false);
  });

  it('keeps at most maxAccounts accounts, dropping the least recently written', () => {
    const other = (n: number) => ({ ...streams, account: `QuotaAccount-t${n}/m/2030-01` });
    cache.remember([[other(1).account, account]], read);
    cache.remember([[other(2).account, account]], read);
    cache.remember([[other(1).account, account]]);
    cache.remember([[other(3).account, account]]);
    expect([1, 2, 3].map((n) => cache.covers(other(n)))).toEqual([true, false, true]);
  });
});
