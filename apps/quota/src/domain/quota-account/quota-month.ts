/** The UTC calendar month of an instant, `YYYY-MM`. */
export function monthOf(at: Date): string {
  return isoOf(at).slice(0, 7);
}

/** Start of the UTC month after `month`, when its quota resets. */
export function resetsAt(month: string): Date {
  const [year, mon] = month.split('-').map(Number);
  return new Date(Date.UTC(year, mon, 1));
}

const recentIsos = new Map<number, string>();

/**
 * `at.toISOString()`, remembered for a few recent instants: a batch decides every command at one
 * `now` and one expiry, and V8's toISOString costs about a microsecond a call.
 */
export function isoOf(at: Date): string {
  const ms = at.getTime();
  let iso = recentIsos.get(ms);
  if (iso === undefined) {
    iso = at.toISOString(); // throws for an invalid date, as before
    if (recentIsos.size >= 16) recentIsos.clear();
    recentIsos.set(ms, iso);
  }
  return iso;
}
