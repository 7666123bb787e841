import type { QuotaAccountState } from '../../domain/quota-account/quota-account';
import type { BatchRead, BatchReadKeys } from './batch-store';

/** An account as this process last wrote or read it. */
export interface CachedAccount {
  version: number;
  /** The version of its stored snapshot. */
  snapshotVersion: number;
  state: QuotaAccountState;
}

/** A tenant's tier or a meter's explicit limit: its stream's version (0: never set) and last event. */
interface CachedSetting {
  version: number;
  data?: object;
}

export interface GrantCacheOptions {
  /** Accounts kept at most; the least recently used go first. */
  maxAccounts: number;
  /** How long a stream that other writers keep moving is read instead of cached. */
  contendedMs: number;
}

/**
 * The accounts and settings as this process last wrote or read them, so that a batch of grants
 * can be decided without reading first. The cache is never trusted for correctness: the batch's
 * write checks every version it assumed (see guardedWriteAndCommit) and writes nothing when one
 * moved. A stream another writer moved (say, a second replica granting on the same account) is
 * left out for `contendedMs`: its batches read under the lock instead of failing the guard.
 */
export class GrantCache {
  private readonly accounts = new Map<string, CachedAccount>();
  private readonly settings = new Map<string, CachedSetting>();
  private readonly contendedUntil = new Map<string, number>();
  /** The local write count after each stream's last local write. */
  private readonly lastLocalWrite = new Map<string, number>();
  private localWrites = 0;

  constructor(
    private readonly options: GrantCacheOptions = { maxAccounts: 10_000, contendedMs: 1_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a grant on `account`, limited by `settings`, can be decided from the cache. */
  covers(streams: { account: string; settings: string[] }): boolean {
    if (!this.accounts.has(streams.account) || this.isContended(streams.account)) return false;
    return streams.settings.every((s) => this.settings.has(s));
  }

  /** The batch's streams as a read would give them (no stored replies, no earlier grants). */
  readOf(keys: BatchReadKeys): BatchRead {
    const read: BatchRead = {
      seen: new Map(),
      settings: new Map(),
      accounts: new Map(),
      grants: new Map(),
    };
    for (const id of keys.accountStreams) {
      const a = this.accounts.get(id)!;
      read.accounts.set(id, {
        version: a.version,
        snapshotVersion: a.snapshotVersion,
        state: a.state,
        tail: [],
      });
    }
    for (const id of keys.settingStreams) {
      const s = this.settings.get(id)!;
      if (s.data) read.settings.set(id, { version: s.version, data: s.data });
    }
    return read;
  }

  /** The version of every stream of the batch, as the cache has it now. */
  versionsOf(keys: BatchReadKeys): Map<string, number> {
    const versions = new Map<string, number>();
    for (const id of keys.accountStreams) versions.set(id, this.accounts.get(id)!.version);
    for (const id of keys.settingStreams) versions.set(id, this.settings.get(id)!.version);
    return versions;
  }

  /** Takes the accounts a batch leaves behind; and, after a read, the settings it read. */
  remember(
    accounts: Array<[string, CachedAccount]>,
    read?: { keys: BatchReadKeys; read: BatchRead },
  ): void {
    for (const [id, account] of accounts) {
      if (this.isContended(id)) continue;
      this.accounts.delete(id);
      this.accounts.set(id, account);
    }
    for (const id of read?.keys.settingStreams ?? []) {
      const stored = read!.read.settings.get(id);
      this.settings.set(
        id,
        stored ? { version: stored.version, data: stored.data } : { version: 0 },
      );
    }
    this.evict();
  }

  /** A mark to pass to `staleSince`: the count of local writes so far. */
  mark(): number {
    return this.localWrites;
  }

  /** A write of this process is about to move these streams: drop them. */
  written(streams: Iterable<string>): void {
    this.localWrites++;
    for (const id of streams) {
      this.drop(id);
      this.lastLocalWrite.set(id, this.localWrites);
    }
  }

  /**
   * A write decided at `mark` found these streams moved: drop them, and read, not cache, those
   * that no local write moved since (another writer, e.g. a second replica) for `contendedMs`.
   */
  staleSince(mark: number, streams: Iterable<string>): void {
    const until = this.now() + this.options.contendedMs;
    for (const id of streams) {
      this.drop(id);
      if ((this.lastLocalWrite.get(id) ?? 0) <= mark) this.contendedUntil.set(id, until);
    }
  }

  /** Drops streams that may have moved, without calling them contended. */
  forget(streams: Iterable<string>): void {
    for (const id of streams) this.drop(id);
  }

  private drop(id: string): void {
    this.accounts.delete(id);
    this.settings.delete(id);
  }

  private isContended(id: string): boolean {
    const until = this.contendedUntil.get(id);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.contendedUntil.delete(id);
    return false;
  }

  private evict(): void {
    for (const id of this.accounts.keys()) {
      if (this.accounts.size <= this.options.maxAccounts) break;
      this.accounts.delete(id);
    }
    for (const id of this.settings.keys()) {
      if (this.settings.size <= 2 * this.options.maxAccounts) break;
      this.settings.delete(id);
    }
    for (const marks of [this.contendedUntil, this.lastLocalWrite])
      for (const id of marks.keys()) {
        if (marks.size <= this.options.maxAccounts) break;
        marks.delete(id);
      }
  }
}
