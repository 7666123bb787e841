/** A plain text table: header row, then rows, columns padded to their widest cell. */
export function table(
  header: string[],
  rows: Array<Array<string | number | null | undefined>>,
): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c == null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '))
    .join('\n');
}

/** `[██████░░░░]  60.0%` */
export function bar(fraction: number, width = 30): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${(f * 100).toFixed(1).padStart(5)}%`;
}

/** A proportional bar segment for a count out of a total. */
export function segment(count: number, total: number, width = 20): string {
  const n = total > 0 ? Math.round((count / total) * width) : 0;
  return `${'▇'.repeat(n)}${' '.repeat(width - n)}`;
}

/** Dollars from a decimal string, kept exact (no float arithmetic). */
export const usd = (value: string | null | undefined) => `$${value ?? '0'}`;

/** Milliseconds from a duration like `30s`, `10m`, `2h`, `1d`, or null. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]] ?? 1;
  return Number(match[1]) * unit;
}
