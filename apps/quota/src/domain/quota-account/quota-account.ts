import type {
  QuotaConsumed,
  QuotaRefused,
  QuotaReservationCommitted,
  QuotaReservationExpired,
  QuotaReservationReleased,
  QuotaReserved,
} from '@rcp/contracts';
import { assertNever } from '@rcp/domain';

/** One account: a tenant's meter in one UTC month. */
export interface AccountId {
  tenantId: string;
  meter: string;
  month: string;
}

export type QuotaAccountEvent =
  | { type: 'QuotaReserved'; data: QuotaReserved }
  | { type: 'QuotaReservationCommitted'; data: QuotaReservationCommitted }
  | { type: 'QuotaReservationReleased'; data: QuotaReservationReleased }
  | { type: 'QuotaReservationExpired'; data: QuotaReservationExpired }
  | { type: 'QuotaConsumed'; data: QuotaConsumed }
  | { type: 'QuotaRefused'; data: QuotaRefused };

/** What the account must know to decide a grant: units used and units held. */
export interface QuotaAccountState {
  used: number;
  reserved: number;
}

export const initialQuotaAccount: QuotaAccountState = { used: 0, reserved: 0 };

export type ReservationStatus = 'open' | 'committed' | 'released' | 'expired';

/** A reservation as its own events tell it; the caller reads them under the account's lock. */
export interface ReservationFacts {
  units: number;
  status: ReservationStatus;
}

const CLOSED_BY: Record<string, ReservationStatus> = {
  QuotaReservationCommitted: 'committed',
  QuotaReservationReleased: 'released',
  QuotaReservationExpired: 'expired',
};

/** Folds the events of one reservation (its QuotaReserved first) into its facts. */
export function reservationFacts(
  events: Array<{ type: string; data: { units?: number } }>,
): ReservationFacts {
  const closed = events.find((e) => CLOSED_BY[e.type]);
  return { units: events[0]?.data.units ?? 0, status: closed ? CLOSED_BY[closed.type] : 'open' };
}

export function evolveQuotaAccount(
  state: QuotaAccountState,
  event: QuotaAccountEvent,
): QuotaAccountState {
  switch (event.type) {
    case 'QuotaReserved':
      return { ...state, reserved: state.reserved + event.data.units };
    case 'QuotaReservationCommitted': {
      const { units, releasedUnits } = event.data;
      return { used: state.used + units, reserved: state.reserved - units - releasedUnits };
    }
    case 'QuotaReservationReleased':
    case 'QuotaReservationExpired':
      return { ...state, reserved: state.reserved - event.data.units };
    case 'QuotaConsumed':
      return { ...state, used: state.used + event.data.units };
    case 'QuotaRefused':
      return state;
    default:
      return assertNever(event);
  }
}

/** Units left under `limit`, never below 0. */
export function remainingOf(state: QuotaAccountState, limit: number): number {
  return Math.max(0, limit - state.used - state.reserved);
}
