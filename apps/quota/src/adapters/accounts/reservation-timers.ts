import type { CommandSession } from '@rcp/eventing';

export const RESERVATION_EXPIRY = 'quota.reservation-expiry';

/** The expiry timer of a reservation carries the reservation's id. */
export async function scheduleExpiry(
  session: CommandSession,
  reservationId: string,
  expiresAt: string,
) {
  await session.schedule({
    timerId: reservationId,
    kind: RESERVATION_EXPIRY,
    dueAt: new Date(expiresAt),
    payload: { reservationId },
  });
}

/**
 * Drops the expiry timer of a closed reservation unless it is firing right now. Waiting for a
 * firing timer's row would deadlock: its handler waits for the account lock this command holds.
 * A timer left behind finds the reservation closed and does nothing.
 */
export async function dropExpiry(session: CommandSession, reservationId: string) {
  await session.tx.query(
    `DELETE FROM timers WHERE timer_id = (SELECT timer_id FROM timers WHERE timer_id = $1 FOR UPDATE SKIP LOCKED)`,
    [reservationId],
  );
}
