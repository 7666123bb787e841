import { randomUUID } from 'node:crypto';
import type { Database, Queryable, Tx } from '@rcp/persistence';
import type { Logger } from '@rcp/telemetry';

/** A timer to fire at `dueAt`; a fixed `timerId` makes scheduling idempotent. */
export interface TimerSpec {
  timerId?: string;
  kind: string;
  dueAt: Date;
  payload: object;
  /**
   * `replace` (default) moves an existing timer of this id; `keep` leaves it as it is and never
   * waits on it, for timers that may be firing while they are scheduled again.
   */
  onConflict?: 'replace' | 'keep';
}

export interface DueTimer {
  timerId: string;
  kind: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

export type TimerHandler = (timer: DueTimer) => Promise<void>;

/** Writes and cancels timers inside the caller's transaction. */
export const timerStore = {
  async schedule(tx: Queryable, spec: TimerSpec): Promise<string> {
    const timerId = spec.timerId ?? randomUUID();
    const onConflict =
      spec.onConflict === 'keep'
        ? 'DO NOTHING'
        : 'DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, attempts = 0, last_error = NULL';
    await tx.query(
      `INSERT INTO timers (timer_id, kind, due_at, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (timer_id) ${onConflict}`,
      [timerId, spec.kind, spec.dueAt.toISOString(), JSON.stringify(spec.payload)],
    );
    return timerId;
  },
  /**
   * Deletes a timer unless it is firing right now (its row locked by a poller): never waits on it,
   * since the firing handler may be waiting on the caller. Returns whether it was deleted; a timer
   * that was firing must be one whose handler finds nothing left to do.
   */
  async cancel(tx: Queryable, timerId: string): Promise<boolean> {
    const rows = await tx.query(
      'DELETE FROM timers WHERE timer_id = (SELECT timer_id FROM timers WHERE timer_id = $1 FOR UPDATE SKIP LOCKED) RETURNING timer_id',
      [timerId],
    );
    return rows.length > 0;
  },
};

/**
 * Fires durable timers kept in PostgreSQL, so a restart resumes them. Each due timer is locked
 * (`FOR UPDATE SKIP LOCKED`, so replicas share the work), handed to its kind's handler, and
 * deleted in the same transaction once the handler succeeds. A handler that fails is retried with
 * backoff. Handlers should be idempotent (e.g. a command whose commandId is the timer id): a crash
 * after the handler's effect and before the delete fires the timer again. A handler must not
 * schedule or cancel its own timer id (the row is locked while it runs): reschedule under a new id.
 */
export class TimerPoller {
  private readonly handlers = new Map<string, TimerHandler>();
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: { pollMs?: number; batchSize?: number; clock?: () => Date } = {},
  ) {}

  on(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    if (this.running || this.handlers.size === 0) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Fires every timer due now; returns how many fired. */
  async fireDue(): Promise<number> {
    const now = (this.options.clock ?? (() => new Date()))();
    return this.db.transaction(async (tx) => {
      const due = await tx.query<{
        timer_id: string;
        kind: string;
        due_at: Date;
        payload: Record<string, unknown>;
        attempts: number;
      }>(
        `SELECT timer_id, kind, due_at, payload, attempts FROM timers WHERE due_at <= $1 AND kind = ANY($2::text[])
         ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [now.toISOString(), [...this.handlers.keys()], this.options.batchSize ?? 100],
      );
      for (const row of due)
        await this.fire(tx, {
          timerId: row.timer_id,
          kind: row.kind,
          dueAt: row.due_at,
          payload: row.payload,
          attempts: row.attempts,
        });
      return due.length;
    });
  }

  private async fire(tx: Tx, timer: DueTimer): Promise<void> {
    try {
      await this.handlers.get(timer.kind)!(timer);
      await tx.query('DELETE FROM timers WHERE timer_id = $1', [timer.timerId]);
    } catch (error) {
      const delayMs = Math.min(60_000, 500 * 2 ** timer.attempts);
      this.logger.warn('timer failed; retrying', {
        timerId: timer.timerId,
        kind: timer.kind,
        attempts: timer.attempts + 1,
        delayMs,
        error,
      });
      await tx.query(
        `UPDATE timers SET attempts = attempts + 1, last_error = $2, due_at = now() + ($3 || ' milliseconds')::interval WHERE timer_id = $1`,
        [timer.timerId, (error as Error).message, String(delayMs)],
      );
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let fired = 0;
      try {
        fired = await this.fireDue();
      } catch (error) {
        this.logger.warn('timer poll failed', { error });
      }
      if (fired === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 100);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
