import { hash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ERROR_CODES, type EventEnvelope, type Reply } from '@rcp/contracts';
import {
  ConcurrencyConflictError,
  DomainError,
  fold,
  type Decider,
  type DomainEvent,
} from '@rcp/domain';
import type { Database, EventStore, PendingEvent, StreamRef, Tx } from '@rcp/persistence';
import { traceHeaders } from '@rcp/telemetry';
import type { InlineProjection } from './projection';
import { timerStore, type TimerSpec } from './timers';

/** The command as the executor needs it: idempotency key, name, who, and its canonical payload. */
export interface CommandInfo {
  commandId: string;
  name: string;
  actor: string;
  payload: object;
}

/** What a command's work can do inside its transaction. */
export interface CommandSession {
  tx: Tx;
  now: Date;
  append(ref: StreamRef, expectedVersion: number, events: PendingEvent[]): Promise<EventEnvelope[]>;
  /** The current version of a stream (0 when it has no events), without loading it. */
  version(ref: StreamRef): Promise<number>;
  /** Starts many new streams in one statement (e.g. every community of a state rollout). */
  appendNewStreams(
    streams: Array<{ ref: StreamRef; events: PendingEvent[] }>,
  ): Promise<EventEnvelope[]>;
  /** Durable timers, written in the command's transaction. */
  schedule(spec: TimerSpec): Promise<string>;
  cancelTimer(timerId: string): Promise<boolean>;
  /** Loads the stream, folds it, decides, appends; returns the new events and the new state. */
  decide<C, E extends DomainEvent, S>(
    ref: StreamRef,
    decider: Decider<C, E, S>,
    command: C,
    stateCodeOf: (event: E, state: S) => string | null | undefined,
  ): Promise<{ events: EventEnvelope[]; state: S }>;
}

const MAX_ATTEMPTS = 8;

/**
 * Runs a command exactly once per `commandId`: the work, its appends and the stored reply commit
 * in one transaction; a repeat returns the stored reply. A concurrency conflict retries the work
 * against the new state; after MAX_ATTEMPTS the conflict is the reply.
 */
export class CommandExecutor {
  private readonly onCommitted: () => void;
  private readonly clock: () => Date;
  private readonly inline: InlineProjection[];

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    options: { onCommitted?: () => void; clock?: () => Date; inline?: InlineProjection[] } = {},
  ) {
    this.onCommitted = options.onCommitted ?? (() => undefined);
    this.clock = options.clock ?? (() => new Date());
    this.inline = options.inline ?? [];
  }

  /** `execute` for a wire command: its commandId and actor, the whole payload hashed. */
  handle<R>(
    name: string,
    command: { commandId: string; actor: string },
    work: (session: CommandSession) => Promise<R>,
  ): Promise<R> {
    return this.execute(
      { commandId: command.commandId, name, actor: command.actor, payload: command },
      work,
    );
  }

  /**
   * Runs a command inside a transaction the caller owns (a process manager reacting to an event
   * in its consumer's batch): no retry loop here; a conflict throws and the event is redelivered.
   */
  async executeIn<R>(
    tx: Tx,
    command: CommandInfo,
    work: (session: CommandSession) => Promise<R>,
  ): Promise<R> {
    await tx.query('SAVEPOINT command_in_batch');
    let reply: Reply<R>;
    try {
      reply = await this.once(tx, command, canonicalHash(command.payload), work);
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT command_in_batch');
      throw error;
    }
    await tx.query('RELEASE SAVEPOINT command_in_batch');
    return unwrapReply(reply);
  }

  async execute<R>(
    command: CommandInfo,
    work: (session: CommandSession) => Promise<R>,
  ): Promise<R> {
    const hash = canonicalHash(command.payload);
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.db.transaction((tx) => this.once(tx, command, hash, work));
        this.onCommitted();
        return unwrapReply(reply);
      } catch (error) {
        const retryable = error instanceof ConcurrencyConflictError || isUniqueViolation(error);
        if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
        await delay(Math.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
  }

  private async once<R>(
    tx: Tx,
    command: CommandInfo,
    hash: string,
    work: (session: CommandSession) => Promise<R>,
  ): Promise<Reply<R>> {
    const [seen] = await tx.query<{ payload_hash: string; reply: Reply<R> }>(
      'SELECT payload_hash, reply FROM processed_commands WHERE command_id = $1',
      [command.commandId],
    );
    if (seen) {
      if (seen.payload_hash !== hash)
        throw new DomainError(
          ERROR_CODES.IDEMPOTENCY_CONFLICT,
          `commandId ${command.commandId} was already used for a different ${command.name}`,
          [
            {
              field: 'commandId',
              message: 'reused with a different payload',
              value: command.commandId,
            },
          ],
        );
      return seen.reply;
    }
    const reply = await this.runWork(tx, command, work);
    await tx.query(
      'INSERT INTO processed_commands (command_id, command_name, payload_hash, reply) VALUES ($1, $2, $3, $4)',
      [command.commandId, command.name, hash, JSON.stringify(reply)],
    );
    return reply;
  }

  private async runWork<R>(
    tx: Tx,
    command: CommandInfo,
    work: (session: CommandSession) => Promise<R>,
  ): Promise<Reply<R>> {
    const session = this.session(tx, command);
    await tx.query('SAVEPOINT command_work');
    try {
      return { ok: true, data: await work(session) };
    } catch (error) {
      // A refusal is a reply too: stored, so a repeat gets the same answer; its writes are undone.
      if (!(error instanceof DomainError) || error instanceof ConcurrencyConflictError) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT command_work');
      return {
        ok: false,
        error: { code: error.code, message: error.message, details: error.details },
      };
    }
  }

  private session(tx: Tx, command: CommandInfo): CommandSession {
    const now = this.clock();
    const meta = {
      correlationId: command.commandId,
      causationId: command.commandId,
      actor: command.actor,
      occurredAt: now,
      traceHeaders: traceHeaders(),
    };
    const append = async (
      ref: StreamRef,
      expected: number,
      events: PendingEvent[],
      versionRead = false,
    ) => {
      const envelopes = await this.store.append(tx, ref, expected, events, meta, { versionRead });
      await applyInline(this.inline, envelopes, tx);
      return envelopes;
    };
    const appendNewStreams = async (streams: Array<{ ref: StreamRef; events: PendingEvent[] }>) => {
      const envelopes = await this.store.appendNewStreams(tx, streams, meta);
      await applyInline(this.inline, envelopes, tx);
      return envelopes;
    };
    return {
      tx,
      now,
      append,
      version: (ref) => this.store.version(tx, ref),
      appendNewStreams,
      schedule: (spec) => timerStore.schedule(tx, spec),
      cancelTimer: (timerId) => timerStore.cancel(tx, timerId),
      decide: async (ref, decider, cmd, stateCodeOf) => {
        const stored = await this.store.readStream(tx, ref);
        const state = fold(
          decider,
          stored.map((s) => ({ type: s.envelope.type, data: s.envelope.data }) as never),
        );
        const decided = decider.decide(cmd, state);
        const next = decided.reduce(decider.evolve, state);
        const events = await append(
          ref,
          stored.length,
          decided.map((e) => ({ type: e.type, data: e.data, stateCode: stateCodeOf(e, next) })),
          true,
        );
        return { events, state: next };
      },
    };
  }
}

function unwrapReply<R>(reply: Reply<R>): R {
  if (reply.ok) return reply.data;
  throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/**
 * SHA-256 of the payload with keys sorted, so key order does not matter. The one-shot `hash` is
 * the same digest as createHash's, without a Hash object per command.
 */
export function canonicalHash(payload: object): string {
  return hash('sha256', canonicalJson(payload), 'hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  let json = '';
  for (const key of sortedKeys(record)) {
    if (record[key] === undefined) continue;
    json += `${json ? ',' : '{'}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return json ? `${json}}` : '{}';
}

const keyOrders = new Map<string, string[]>();

/**
 * The object's keys in localeCompare order, remembered per key list: commands of one type have
 * the same keys, and sorting them again for every command cost more than hashing it.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  const signature = JSON.stringify(keys);
  let sorted = keyOrders.get(signature);
  if (!sorted) {
    sorted = [...keys].sort((a, b) => a.localeCompare(b));
    if (keyOrders.size >= 1_000) keyOrders.clear();
    keyOrders.set(signature, sorted);
  }
  return sorted;
}

/** Applies the inline projections to freshly appended envelopes, in the same transaction. */
export async function applyInline(
  projections: InlineProjection[],
  envelopes: EventEnvelope[],
  tx: Tx,
): Promise<void> {
  for (const envelope of envelopes) {
    for (const projection of projections) {
      if (projection.eventTypes && !projection.eventTypes.includes(envelope.type)) continue;
      await projection.apply(envelope, tx, { streamSequence: 0, deliveryCount: 1 });
    }
  }
}
