import { setTimeout as delay } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { ConcurrencyConflictError, DomainError } from '@rcp/domain';
import type { ServiceRuntime } from '@rcp/eventing';
import type { QuotaConfig } from '../quota.config';
import { beginLockRead } from './batch-store';
import { writeAndCommit } from './batch-write';
import { GrantBatch } from './grant-batch';
import { GrantCache } from './grant-cache';
import { GuardedWriter } from './guarded-writer';
import type { Granted } from './grant-outcome';
import {
  grantItem,
  readKeysOf,
  streamsOf,
  type GrantItem,
  type GrantKind,
  type GrantReply,
} from './grant-item';
import type { GrantRequest } from './quota-accounts';

export interface GrantCommand extends GrantRequest {
  commandId: string;
  actor: string;
  ttlMs?: number;
}

export interface GrantBatcherOptions {
  /** Commands decided in one transaction at most. */
  maxBatch: number;
  /** Batches decided from the cache and in flight at once (queued in order on one connection). */
  maxInFlight: number;
}

interface Waiting {
  item: GrantItem;
  resolve: (reply: GrantReply) => void;
  reject: (error: unknown) => void;
}

const MAX_ATTEMPTS = 8;

/**
 * Group commit for ReserveQuota and ConsumeQuota. Commands that arrive together share a batch,
 * decided in arrival order against each account's running state; all its events, outbox rows,
 * stored replies, expiry timers and usage changes go in one statement before one commit.
 *
 * A batch whose accounts the cache knows is decided at once and written in one statement that
 * first checks that nothing it assumed has moved; up to `maxInFlight` such batches overlap, each
 * decided on the state the ones before it leave. Any other batch, or one whose check failed,
 * waits until none is in flight, then locks, reads, decides and writes in two round trips, and
 * refreshes the cache. Idempotency per commandId and the no-overspend guarantee
 * are those of the CommandExecutor path; only the number of round trips shrinks.
 */
export class GrantBatcher {
  private queue: Waiting[] = [];
  /** Commands that must be decided from a read (unknown accounts, failed checks), in order. */
  private slow: Waiting[] = [];
  private inFlight = 0;
  private reading = false;
  private scheduled = false;
  private readonly writer: GuardedWriter;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly config: QuotaConfig,
    private readonly clock: () => Date,
    readonly cache = new GrantCache(),
    private readonly options: GrantBatcherOptions = { maxBatch: 500, maxInFlight: 2 },
  ) {
    this.writer = new GuardedWriter(runtime.db.pool);
  }

  async grant(kind: GrantKind, command: GrantCommand): Promise<Granted<unknown>> {
    const item = grantItem(kind, command);
    const reply = await new Promise<GrantReply>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
    if (reply.ok) return reply.data;
    throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
  }

  /** Waits for the requests of the same I/O turn, so they share a batch. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (!this.reading && this.slow.length === 0 && this.queue.length > 0) {
      if (this.inFlight >= this.options.maxInFlight) return;
      const now = this.clock();
      const fast: Waiting[] = [];
      for (const waiting of this.queue.splice(0, this.options.maxBatch))
        (this.cache.covers(streamsOf(waiting.item, now)) ? fast : this.slow).push(waiting);
      if (fast.length > 0) this.decideFromCache(fast, now);
    }
    if (this.reading || this.inFlight > 0 || this.slow.length + this.queue.length === 0) return;
    // Nothing in flight: the batch that reads takes the waiting commands, the slow ones first.
    const waiting = [...this.slow, ...this.queue];
    const batch = waiting.slice(0, this.options.maxBatch);
    this.slow = [];
    this.queue = waiting.slice(batch.length);
    this.reading = true;
    void this.flush(batch).finally(() => {
      this.reading = false;
      this.drain();
    });
  }

  /** Decides on the cached accounts and writes in one guarded round trip (see class comment). */
  private decideFromCache(batch: Waiting[], now: Date): void {
    const items = batch.map((w) => w.item);
    const keys = readKeysOf(items, now);
    const versions = this.cache.versionsOf(keys);
    const decided = new GrantBatch(this.cache.readOf(keys), this.config, {
      now,
      occurredAt: new Date(),
    });
    let replies: GrantReply[];
    try {
      replies = items.map((item) => decided.decide(item));
    } catch {
      this.slow.push(...batch); // the read path isolates the command that throws
      return;
    }
    const write = decided.finish();
    this.cache.remember(decided.accounts());
    const decidedAt = this.cache.mark();
    const retryFromRead = (stale: boolean) => {
      if (stale) this.cache.staleSince(decidedAt, versions.keys());
      else this.cache.forget(versions.keys());
      this.slow.push(...batch);
    };
    this.inFlight++;
    void this.writer
      .write({ keys, versions }, write)
      .then(
        (written) => {
          if (!written) return retryFromRead(true);
          this.runtime.relay.wake();
          batch.forEach((w, i) => w.resolve(replies[i]));
        },
        // A unique violation: another writer took the versions (or commandIds) it assumed.
        (error: { code?: string }) => retryFromRead(error.code === '23505'),
      )
      .finally(() => {
        this.inFlight--;
        this.drain();
      });
  }

  private async flush(batch: Waiting[]): Promise<void> {
    try {
      const replies = await this.withRetry(batch.map((w) => w.item));
      this.runtime.relay.wake();
      batch.forEach((w, i) => w.resolve(replies[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One bad command must not fail its neighbours: decide each alone.
      await Promise.all(batch.map((w) => this.flush([w])));
    }
  }

  private async withRetry(items: GrantItem[]): Promise<GrantReply[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.readDecideWrite(items);
      } catch (error) {
        if (!retryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        await delay(Math.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
  }

  /** Two round trips: BEGIN + locks + read, then write + COMMIT; the cache takes what was read. */
  private readDecideWrite(items: GrantItem[]): Promise<GrantReply[]> {
    return this.withClient(async (client) => {
      const now = this.clock();
      const keys = readKeysOf(items, now);
      const read = await beginLockRead(client, keys);
      const batch = new GrantBatch(read, this.config, { now, occurredAt: new Date() });
      const replies = items.map((item) => batch.decide(item));
      await writeAndCommit(client, batch.finish());
      this.cache.remember(batch.accounts(), { keys, read });
      return replies;
    });
  }

  /** A pooled connection for one transaction, rolled back if `work` fails. */
  private async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.runtime.db.pool.connect();
    // pg's pool only listens on idle clients: without this a server restart kills the process.
    let failed: Error | undefined;
    const onError = (error: Error) => (failed = error);
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      if (!failed) await client.query('ROLLBACK').catch((e: Error) => (failed = e));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(failed);
    }
  }
}

/** A writer that skipped the lock, a duplicate commandId from another replica, or a deadlock. */
function retryable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return error instanceof ConcurrencyConflictError || code === '23505' || code === '40P01';
}
