/**
 * Named crash points for fault tests: when RCP_FAULT lists a point (comma-separated, optionally
 * `name@N` to crash on the Nth hit), the process SIGKILLs itself there. Unset in normal runs.
 */
const hits = new Map<string, number>();

export function faultPoint(name: string): void {
  const spec = process.env.RCP_FAULT;
  if (!spec) return;
  for (const entry of spec.split(',')) {
    const [point, nth] = entry.trim().split('@');
    if (point !== name) continue;
    const count = (hits.get(name) ?? 0) + 1;
    hits.set(name, count);
    if (!nth || Number(nth) === count) process.kill(process.pid, 'SIGKILL');
  }
}
