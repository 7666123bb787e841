import { randomUUID } from 'node:crypto';
import {
  ERROR_CODES,
  eventSubject,
  HEADERS,
  type EventEnvelope,
  type QuotaTier,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import { streamIdOf } from '@rcp/persistence';
import { evolveMeterLimit, initialMeterLimit } from '../../domain/meter-limit/meter-limit';
import {
  evolveQuotaAccount,
  initialQuotaAccount,
  type AccountId,
  type QuotaAccountEvent,
  type QuotaAccountState,
} from '../../domain/quota-account/quota-account';
import {
  decideQuotaAccount,
  type QuotaAccountCommand,
} from '../../domain/quota-account/quota-account.decide';
import { resolveLimit } from '../../domain/quota-account/quota-limits';
import { isoOf } from '../../domain/quota-account/quota-month';
import { evolveTenant, initialTenant } from '../../domain/tenant/tenant';
import { mergeChanges, usageChange, type UsageChange } from '../projections/quota-usage.projection';
import type { QuotaConfig } from '../quota.config';
import {
  accountRef,
  meterLimitRef,
  previousOf,
  SNAPSHOT_EVERY,
  tenantRef,
  type GrantEvent,
} from './account-store';
import { grantKey, type BatchRead } from './batch-store';
import type { BatchWrite } from './batch-write';
import type { CachedAccount } from './grant-cache';
import { accountOf, type BatchClock, type GrantItem, type GrantReply } from './grant-item';
import { meterNotConfigured, outcome, type Granted } from './grant-outcome';
import { consumedReply, reservedReply } from './quota-accounts';
import { RESERVATION_EXPIRY } from './reservation-timers';

interface AccountRun {
  account: AccountId;
  aggregateId: string;
  streamId: string;
  state: QuotaAccountState;
  version: number;
  snapshotVersion: number;
  limit?: number;
  tier: QuotaTier;
}

/**
 * Decides a batch in arrival order against each account's running state, with the same
 * semantics as one CommandExecutor transaction per command: a repeated commandId gets its stored
 * reply (or IDEMPOTENCY_CONFLICT for another payload), a refusal is an event and a stored reply,
 * a DomainError is a stored error reply with no events.
 */
export class GrantBatch {
  readonly write: BatchWrite = { events: [], processed: [], timers: [], snapshots: [], usage: [] };
  private readonly usage: UsageChange[] = [];
  private readonly runs = new Map<string, AccountRun>();
  private readonly done = new Map<string, { hash: string; reply: GrantReply }>();
  private readonly grants: Map<string, GrantEvent>;

  constructor(
    private readonly read: BatchRead,
    private readonly config: QuotaConfig,
    private readonly clock: BatchClock,
  ) {
    this.grants = new Map(read.grants);
  }

  decide(item: GrantItem): GrantReply {
    const seen = this.done.get(item.commandId) ?? this.read.seen.get(item.commandId);
    if (seen) return seen.hash === item.hash ? (seen.reply as GrantReply) : commandReused(item);
    const reply = this.replyOf(item);
    this.done.set(item.commandId, { hash: item.hash, reply });
    this.write.processed.push({
      commandId: item.commandId,
      name: item.kind,
      hash: item.hash,
      reply: JSON.stringify(reply),
    });
    return reply;
  }

  /** Call once every item is decided: the usage, and a snapshot of each account SNAPSHOT_EVERY events. */
  finish(): BatchWrite {
    this.write.usage = mergeChanges(this.usage);
    for (const run of this.runs.values())
      if (run.version - run.snapshotVersion >= SNAPSHOT_EVERY) {
        this.write.snapshots.push({
          streamId: run.streamId,
          version: run.version,
          state: JSON.stringify(run.state),
        });
        run.snapshotVersion = run.version;
      }
    return this.write;
  }

  /** Each account as it stands once the batch is written. */
  accounts(): Array<[streamId: string, account: CachedAccount]> {
    return [...this.runs.values()].map((r) => [
      r.streamId,
      { version: r.version, snapshotVersion: r.snapshotVersion, state: r.state },
    ]);
  }

  private replyOf(item: GrantItem): GrantReply {
    try {
      return { ok: true, data: this.grant(item) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return {
        ok: false,
        error: { code: error.code, message: error.message, details: error.details },
      };
    }
  }

  private grant(item: GrantItem): Granted<unknown> {
    const run = this.run(item);
    if (run.limit === undefined) throw meterNotConfigured(item.request.meter, run.tier);
    const key = grantKey(run.streamId, item.request.idempotencyKey);
    const previous = this.grants.get(key);
    const events = decideQuotaAccount(this.command(item, run, previous), run.state);
    for (const event of events) this.append(run, item, event);
    const [event] = events;
    if (event?.type === 'QuotaReserved') {
      this.grants.set(key, event);
      this.write.timers.push({
        timerId: event.data.reservationId,
        kind: RESERVATION_EXPIRY,
        dueAt: event.data.expiresAt,
        payload: JSON.stringify({ reservationId: event.data.reservationId }),
      });
    } else if (event?.type === 'QuotaConsumed') this.grants.set(key, event);
    if (item.kind === 'ReserveQuota') return outcome(events, previous, reservedReply);
    return outcome(events, previous, consumedReply);
  }

  private command(
    item: GrantItem,
    run: AccountRun,
    previous: GrantEvent | undefined,
  ): QuotaAccountCommand {
    const { units, idempotencyKey, ttlMs } = item.request;
    const grant = {
      account: run.account,
      units,
      idempotencyKey,
      limit: run.limit!,
      tier: run.tier,
      now: this.clock.now,
      previous: previousOf(previous),
    };
    // Object.assign, not `{ ...grant, … }`: a spread followed by properties is V8's slow path.
    if (item.kind === 'ConsumeQuota')
      return Object.assign(grant, { type: 'ConsumeQuota' as const, consumptionId: randomUUID() });
    return Object.assign(grant, {
      type: 'ReserveQuota' as const,
      reservationId: randomUUID(),
      ttlMs: ttlMs ?? this.config.reservationTtlMs,
    });
  }

  private run(item: GrantItem): AccountRun {
    const account = accountOf(item, this.clock.now);
    const ref = accountRef(account);
    const streamId = streamIdOf(ref);
    const known = this.runs.get(streamId);
    if (known) return known;
    const stored = this.read.accounts.get(streamId) ?? { version: 0, tail: [] };
    const state = stored.tail.reduce(
      (s, e) => evolveQuotaAccount(s, e as unknown as QuotaAccountEvent),
      stored.state ?? initialQuotaAccount,
    );
    const { tier, limit } = this.limitOf(account);
    const version = stored.tail.at(-1)?.version ?? stored.version;
    const run = {
      account,
      aggregateId: ref.aggregateId,
      streamId,
      state,
      version,
      snapshotVersion: stored.snapshotVersion ?? stored.version,
      limit,
      tier,
    };
    this.runs.set(streamId, run);
    return run;
  }

  private limitOf(account: AccountId): { tier: QuotaTier; limit?: number } {
    const tierSet = this.read.settings.get(streamIdOf(tenantRef(account.tenantId)))?.data;
    const limitSet = this.read.settings.get(
      streamIdOf(meterLimitRef(account.tenantId, account.meter)),
    )?.data;
    const { tier } = tierSet
      ? evolveTenant(initialTenant, { type: 'TierSet', data: tierSet as never })
      : initialTenant;
    const explicit = limitSet
      ? evolveMeterLimit(initialMeterLimit, { type: 'QuotaLimitSet', data: limitSet as never })
      : initialMeterLimit;
    return { tier, limit: resolveLimit(account.meter, tier, explicit.limit, this.config.limits) };
  }

  private append(run: AccountRun, item: GrantItem, event: QuotaAccountEvent): void {
    run.version += 1;
    run.state = evolveQuotaAccount(run.state, event);
    const id = randomUUID();
    const occurredAt = isoOf(this.clock.occurredAt);
    const { type, data } = event;
    const aggregate = { type: 'QuotaAccount', id: run.aggregateId, version: run.version };
    this.usage.push(usageChange({ type, occurredAt, aggregate, data } as EventEnvelope));
    const dataJson = JSON.stringify(data);
    const envelope: Omit<EventEnvelope, 'data'> = {
      id,
      type,
      version: 1,
      occurredAt,
      source: 'quota',
      aggregate,
      correlationId: item.commandId,
      causationId: item.commandId,
      actor: item.actor,
    };
    this.write.events.push({
      eventId: id,
      streamId: run.streamId,
      streamVersion: run.version,
      type,
      data: dataJson,
      commandId: item.commandId,
      actor: item.actor,
      occurredAt,
      subject: eventSubject('quota', type, null),
      // The envelope with `data` last, its JSON spliced in rather than serialized twice.
      payload: `${JSON.stringify(envelope).slice(0, -1)},"data":${dataJson}}`,
      headers: JSON.stringify({
        [HEADERS.eventType]: type,
        [HEADERS.eventVersion]: '1',
        ...item.traceHeaders,
      }),
    });
  }
}

/** The chassis' answer to a commandId reused for another payload: not stored. */
function commandReused(item: GrantItem): GrantReply {
  return {
    ok: false,
    error: {
      code: ERROR_CODES.IDEMPOTENCY_CONFLICT,
      message: `commandId ${item.commandId} was already used for a different ${item.kind}`,
      details: [
        { field: 'commandId', message: 'reused with a different payload', value: item.commandId },
      ],
    },
  };
}
