import { ERROR_CODES, type QuotaTier } from '@rcp/contracts';
import { assertNever, DomainError, InvalidTransitionError, type Decider } from '@rcp/domain';
import {
  evolveQuotaAccount,
  initialQuotaAccount,
  remainingOf,
  type AccountId,
  type QuotaAccountEvent,
  type QuotaAccountState,
  type ReservationFacts,
} from './quota-account';
import { isoOf, resetsAt } from './quota-month';

/** An earlier grant under the same idempotency key, found by the caller. */
export type PreviousGrant =
  | { kind: 'reservation'; reservationId: string; units: number }
  | { kind: 'consumption'; consumptionId: string; units: number };

/** What every grant request carries. */
export interface GrantFields {
  account: AccountId;
  units: number;
  idempotencyKey: string;
  /** The limit and tier in force, resolved by the caller. */
  limit: number;
  tier: QuotaTier;
  previous?: PreviousGrant;
  now: Date;
}

export type QuotaAccountCommand =
  | ({ type: 'ReserveQuota'; reservationId: string; ttlMs: number } & GrantFields)
  | ({ type: 'ConsumeQuota'; consumptionId: string } & GrantFields)
  | ({ type: 'CommitReservation'; units?: number } & ReservationCommand)
  | ({ type: 'ReleaseReservation'; reason?: string } & ReservationCommand)
  | ({ type: 'ExpireReservation' } & ReservationCommand);

/** What a command on a reservation carries: the reservation's facts, read by the caller. */
interface ReservationCommand {
  account: AccountId;
  reservationId: string;
  reservation: ReservationFacts;
  now: Date;
}

function refusal(command: GrantFields, state: QuotaAccountState): QuotaAccountEvent[] | undefined {
  const remaining = remainingOf(state, command.limit);
  if (command.units <= remaining) return undefined;
  const { tenantId, meter, month } = command.account;
  return [
    {
      type: 'QuotaRefused',
      data: {
        tenantId,
        meter,
        month,
        requestedUnits: command.units,
        limit: command.limit,
        used: state.used,
        reserved: state.reserved,
        remaining,
        tier: command.tier,
        idempotencyKey: command.idempotencyKey,
        resetsAt: isoOf(resetsAt(month)),
        refusedAt: isoOf(command.now),
      },
    },
  ];
}

/** The same key again grants nothing new; the same key for something else is a conflict. */
function repeated(command: GrantFields, kind: PreviousGrant['kind']): boolean {
  const previous = command.previous;
  if (!previous) return false;
  if (previous.kind === kind && previous.units === command.units) return true;
  throw new DomainError(
    ERROR_CODES.IDEMPOTENCY_CONFLICT,
    `idempotencyKey ${command.idempotencyKey} was already used for a ${previous.kind} of ${previous.units} units`,
    [
      {
        field: 'idempotencyKey',
        message: 'reused for a different request',
        value: command.idempotencyKey,
      },
    ],
  );
}

export function reserve(
  command: Extract<QuotaAccountCommand, { type: 'ReserveQuota' }>,
  state: QuotaAccountState,
): QuotaAccountEvent[] {
  if (repeated(command, 'reservation')) return [];
  const refused = refusal(command, state);
  if (refused) return refused;
  const { tenantId, meter, month } = command.account;
  const data = {
    tenantId,
    meter,
    month,
    reservationId: command.reservationId,
    units: command.units,
    idempotencyKey: command.idempotencyKey,
    limit: command.limit,
    remaining: remainingOf(state, command.limit) - command.units,
    tier: command.tier,
    expiresAt: isoOf(new Date(command.now.getTime() + command.ttlMs)),
    reservedAt: isoOf(command.now),
  };
  return [{ type: 'QuotaReserved', data }];
}

export function consume(
  command: Extract<QuotaAccountCommand, { type: 'ConsumeQuota' }>,
  state: QuotaAccountState,
): QuotaAccountEvent[] {
  if (repeated(command, 'consumption')) return [];
  const refused = refusal(command, state);
  if (refused) return refused;
  const { tenantId, meter, month } = command.account;
  const data = {
    tenantId,
    meter,
    month,
    consumptionId: command.consumptionId,
    units: command.units,
    idempotencyKey: command.idempotencyKey,
    limit: command.limit,
    remaining: remainingOf(state, command.limit) - command.units,
    tier: command.tier,
    consumedAt: isoOf(command.now),
  };
  return [{ type: 'QuotaConsumed', data }];
}

function openReservation(command: ReservationCommand) {
  const { reservation, reservationId } = command;
  if (reservation.status !== 'open')
    throw new InvalidTransitionError(
      `reservation ${reservationId} is ${reservation.status}, not open`,
      [
        {
          field: 'reservationId',
          message: `reservation is ${reservation.status}`,
          value: reservationId,
        },
      ],
    );
  return reservation;
}

export function commit(
  command: Extract<QuotaAccountCommand, { type: 'CommitReservation' }>,
  _state: QuotaAccountState,
): QuotaAccountEvent[] {
  const held = openReservation(command);
  const units = command.units ?? held.units;
  if (units > held.units)
    throw new DomainError(
      ERROR_CODES.VALIDATION_FAILED,
      `cannot commit ${units} units of a reservation of ${held.units}`,
      [
        {
          field: 'units',
          constraint: 'max',
          message: `units must be at most ${held.units}`,
          value: units,
        },
      ],
    );
  const data = {
    ...command.account,
    reservationId: command.reservationId,
    units,
    releasedUnits: held.units - units,
    committedAt: command.now.toISOString(),
  };
  return [{ type: 'QuotaReservationCommitted', data }];
}

export function release(
  command: Extract<QuotaAccountCommand, { type: 'ReleaseReservation' }>,
  _state: QuotaAccountState,
): QuotaAccountEvent[] {
  const held = openReservation(command);
  const data = {
    ...command.account,
    reservationId: command.reservationId,
    units: held.units,
    reason: command.reason,
    releasedAt: command.now.toISOString(),
  };
  return [{ type: 'QuotaReservationReleased', data }];
}

/** The TTL timer: a reservation that is still open gives its units back; otherwise nothing. */
export function expire(
  command: Extract<QuotaAccountCommand, { type: 'ExpireReservation' }>,
  _state: QuotaAccountState,
): QuotaAccountEvent[] {
  const held = command.reservation;
  if (held.status !== 'open') return [];
  const data = {
    ...command.account,
    reservationId: command.reservationId,
    units: held.units,
    expiredAt: command.now.toISOString(),
  };
  return [{ type: 'QuotaReservationExpired', data }];
}

export function decideQuotaAccount(
  command: QuotaAccountCommand,
  state: QuotaAccountState,
): QuotaAccountEvent[] {
  switch (command.type) {
    case 'ReserveQuota':
      return reserve(command, state);
    case 'ConsumeQuota':
      return consume(command, state);
    case 'CommitReservation':
      return commit(command, state);
    case 'ReleaseReservation':
      return release(command, state);
    case 'ExpireReservation':
      return expire(command, state);
    default:
      return assertNever(command);
  }
}

export const quotaAccountDecider: Decider<
  QuotaAccountCommand,
  QuotaAccountEvent,
  QuotaAccountState
> = {
  initialState: initialQuotaAccount,
  evolve: evolveQuotaAccount,
  decide: decideQuotaAccount,
};
