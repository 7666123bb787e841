/** The UTC calendar month of an instant, `YYYY-MM`. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Start of the UTC month after `month`, when its quota resets. */
export function resetsAt(month: string): Date {
  const [year, mon] = month.split('-').map(Number);
  return new Date(Date.UTC(year, mon, 1));
}
