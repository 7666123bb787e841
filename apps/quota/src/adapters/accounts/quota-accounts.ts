import { randomUUID } from 'node:crypto';
import {
  type CommitReservationReply,
  type ConsumeQuotaReply,
  type QuotaTier,
  type ReserveQuotaReply,
} from '@rcp/contracts';
import { NotFoundError } from '@rcp/domain';
import type { CommandSession } from '@rcp/eventing';
import { streamIdOf, type Tx } from '@rcp/persistence';
import {
  remainingOf,
  type AccountId,
  type QuotaAccountEvent,
} from '../../domain/quota-account/quota-account';
import {
  decideQuotaAccount,
  type GrantFields,
  type QuotaAccountCommand,
} from '../../domain/quota-account/quota-account.decide';
import { resolveLimit } from '../../domain/quota-account/quota-limits';
import { monthOf } from '../../domain/quota-account/quota-month';
import type { QuotaConfig } from '../quota.config';
import {
  accountRef,
  appendAccount,
  findGrant,
  findReservation,
  type LoadedAccount,
  loadAccount,
  loadReservation,
  loadSettings,
  lockStream,
  previousOf,
} from './account-store';
import { meterNotConfigured, outcome, type Granted } from './grant-outcome';
import { dropExpiry, scheduleExpiry } from './reservation-timers';

export { unwrapGranted, type Granted } from './grant-outcome';

export interface GrantRequest {
  tenantId: string;
  meter: string;
  units: number;
  idempotencyKey: string;
}

type ReservedData = { reservationId: string; remaining?: number; month: string; expiresAt: string };
type ConsumedData = { consumptionId: string; remaining?: number; month: string };

/** The reply of a reservation, from its QuotaReserved data (new or earlier). */
export const reservedReply = (data: ReservedData): ReserveQuotaReply => ({
  reservationId: data.reservationId,
  remaining: data.remaining ?? 0,
  month: data.month,
  expiresAt: data.expiresAt,
});

/** The reply of a consumption, from its QuotaConsumed data (new or earlier). */
export const consumedReply = (data: ConsumedData): ConsumeQuotaReply => ({
  consumptionId: data.consumptionId,
  remaining: data.remaining ?? 0,
  month: data.month,
});

/** The operations on quota accounts, each inside a command's transaction. */
export class QuotaAccounts {
  constructor(
    private readonly config: QuotaConfig,
    private readonly clock: () => Date,
    /** Told of every account stream about to be appended to here (the grant cache drops it). */
    private readonly written: (streamId: string) => void = () => {},
  ) {}

  async reserve(
    session: CommandSession,
    request: GrantRequest & { ttlMs?: number },
  ): Promise<Granted<ReserveQuotaReply>> {
    const ttlMs = request.ttlMs ?? this.config.reservationTtlMs;
    const reservationId = randomUUID();
    const result = await this.grant(
      session,
      request,
      (base) => ({ ...base, type: 'ReserveQuota', reservationId, ttlMs }),
      reservedReply,
    );
    if ('granted' in result && result.granted.reservationId === reservationId)
      await scheduleExpiry(session, reservationId, result.granted.expiresAt);
    return result;
  }

  async consume(
    session: CommandSession,
    request: GrantRequest,
  ): Promise<Granted<ConsumeQuotaReply>> {
    const consumptionId = randomUUID();
    return this.grant(
      session,
      request,
      (base) => ({ ...base, type: 'ConsumeQuota', consumptionId }),
      consumedReply,
    );
  }

  async commit(
    session: CommandSession,
    reservationId: string,
    units?: number,
  ): Promise<CommitReservationReply> {
    const { account, limit, reservation } = await this.reservationAccount(
      session.tx,
      reservationId,
    );
    const loaded = await loadAccount(session.tx, account);
    const command = {
      type: 'CommitReservation' as const,
      account,
      reservationId,
      reservation,
      units,
      now: this.clock(),
    };
    const events = decideQuotaAccount(command, loaded.state);
    const state = await this.append(session, loaded, events);
    await dropExpiry(session, reservationId);
    const data = events[0].data as { units: number; releasedUnits: number };
    return {
      reservationId,
      committed: data.units,
      released: data.releasedUnits,
      remaining: remainingOf(state, limit),
    };
  }

  async release(session: CommandSession, reservationId: string, reason?: string) {
    const { account, limit, reservation } = await this.reservationAccount(
      session.tx,
      reservationId,
    );
    const loaded = await loadAccount(session.tx, account);
    const command = {
      type: 'ReleaseReservation' as const,
      account,
      reservationId,
      reservation,
      reason,
      now: this.clock(),
    };
    const events = decideQuotaAccount(command, loaded.state);
    const state = await this.append(session, loaded, events);
    await dropExpiry(session, reservationId);
    const released = (events[0].data as { units: number }).units;
    return { reservationId, released, remaining: remainingOf(state, limit) };
  }

  /** The TTL timer's work: gives an open reservation's units back; a closed one is left alone. */
  async expire(session: CommandSession, reservationId: string): Promise<{ expired: number }> {
    const { account, reservation } = await this.reservationAccount(session.tx, reservationId);
    const loaded = await loadAccount(session.tx, account);
    const command = {
      type: 'ExpireReservation' as const,
      account,
      reservationId,
      reservation,
      now: this.clock(),
    };
    const events = decideQuotaAccount(command, loaded.state);
    await this.append(session, loaded, events);
    return { expired: events.length === 0 ? 0 : (events[0].data as { units: number }).units };
  }

  /** Whether a reservation still holds units. */
  async isOpen(session: CommandSession, reservationId: string): Promise<boolean> {
    const { reservation } = await this.reservationAccount(session.tx, reservationId);
    return reservation.status === 'open';
  }

  private append(session: CommandSession, loaded: LoadedAccount, events: QuotaAccountEvent[]) {
    if (events.length > 0) this.written(streamIdOf(loaded.ref));
    return appendAccount(session, loaded, events);
  }

  /** Finds and locks the account of a reservation; `limit` is the one in force now. */
  private async reservationAccount(tx: Tx, reservationId: string) {
    const reserved = await findReservation(tx, reservationId);
    if (!reserved)
      throw new NotFoundError(`reservation ${reservationId} does not exist`, [
        { field: 'reservationId', message: 'no such reservation', value: reservationId },
      ]);
    const account: AccountId = {
      tenantId: reserved.tenantId,
      meter: reserved.meter,
      month: reserved.month,
    };
    await lockStream(tx, accountRef(account));
    const reservation = await loadReservation(tx, reservationId);
    const { limit } = await this.limitOf(tx, account);
    return { account, reservation, limit: limit ?? reserved.limit };
  }

  private async limitOf(tx: Tx, account: AccountId): Promise<{ limit?: number; tier: QuotaTier }> {
    const { tier, explicitLimit } = await loadSettings(tx, account.tenantId, account.meter);
    return { limit: resolveLimit(account.meter, tier, explicitLimit, this.config.limits), tier };
  }

  private async grant<T, D>(
    session: CommandSession,
    request: GrantRequest,
    build: (base: GrantFields) => QuotaAccountCommand,
    reply: (data: D) => T,
  ): Promise<Granted<T>> {
    const now = this.clock();
    const account: AccountId = {
      tenantId: request.tenantId,
      meter: request.meter,
      month: monthOf(now),
    };
    const ref = accountRef(account);
    await lockStream(session.tx, ref);
    const { limit, tier } = await this.limitOf(session.tx, account);
    if (limit === undefined) throw meterNotConfigured(request.meter, tier);
    const loaded = await loadAccount(session.tx, account);
    const previous = await findGrant(session.tx, ref, request.idempotencyKey);
    const { units, idempotencyKey } = request;
    const base = {
      account,
      units,
      idempotencyKey,
      limit,
      tier,
      previous: previousOf(previous),
      now,
    };
    const events = decideQuotaAccount(build(base), loaded.state);
    await this.append(session, loaded, events);
    return outcome(events, previous, reply);
  }
}
