import { setTimeout as delay } from 'node:timers/promises';
import { ConcurrencyConflictError, DomainError } from '@rcp/domain';
import { canonicalHash, type ServiceRuntime } from '@rcp/eventing';
import { traceHeaders } from '@rcp/telemetry';
import type { QuotaConfig } from '../quota.config';
import { beginLockRead, writeAndCommit } from './batch-store';
import type { Granted } from './grant-outcome';
import { GrantBatch } from './grant-batch';
import { readKeysOf, type GrantItem, type GrantKind, type GrantReply } from './grant-item';
import type { GrantRequest } from './quota-accounts';

export interface GrantCommand extends GrantRequest {
  commandId: string;
  actor: string;
  ttlMs?: number;
}

export interface GrantBatcherOptions {
  /** Commands decided in one transaction at most. */
  maxBatch: number;
}

interface Waiting {
  item: GrantItem;
  resolve: (reply: GrantReply) => void;
  reject: (error: unknown) => void;
}

const MAX_ATTEMPTS = 8;

/**
 * Group commit for ReserveQuota and ConsumeQuota: the commands that arrive while a batch is being
 * written wait for the next one, which locks their accounts once, decides each in arrival order
 * against the running state, and writes all events, outbox rows, stored replies, expiry timers
 * and account snapshots in one statement before one commit. Idempotency per commandId and the
 * no-overspend lock are those of the CommandExecutor path; only the number of round trips shrinks.
 */
export class GrantBatcher {
  private queue: Waiting[] = [];
  private busy = false;
  private scheduled = false;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly config: QuotaConfig,
    private readonly clock: () => Date,
    private readonly options: GrantBatcherOptions = { maxBatch: 500 },
  ) {}

  async grant(kind: GrantKind, command: GrantCommand): Promise<Granted<unknown>> {
    const { commandId, actor, tenantId, meter, units, idempotencyKey, ttlMs } = command;
    const item: GrantItem = {
      kind,
      commandId,
      actor,
      hash: canonicalHash(command),
      request: { tenantId, meter, units, idempotencyKey, ttlMs },
      traceHeaders: traceHeaders(),
    };
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

  /** One batch transaction at a time: the replicas already queue on the account locks. */
  private drain(): void {
    if (this.busy || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.busy = true;
    void this.flush(batch).finally(() => {
      this.busy = false;
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
        return await this.once(items);
      } catch (error) {
        if (!retryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        await delay(Math.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
  }

  /** Two round trips: BEGIN + locks + read, then write + COMMIT (see batch-store). */
  private async once(items: GrantItem[]): Promise<GrantReply[]> {
    const client = await this.runtime.db.pool.connect();
    // pg's pool only listens on idle clients: without this a server restart kills the process.
    let failed: Error | undefined;
    const onError = (error: Error) => (failed = error);
    client.on('error', onError);
    try {
      const now = this.clock();
      const read = await beginLockRead(client, readKeysOf(items, now));
      const batch = new GrantBatch(read, this.config, { now, occurredAt: new Date() });
      const replies = items.map((item) => batch.decide(item));
      await writeAndCommit(client, batch.finish());
      return replies;
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
