import type { CommunityOutcome, RunSnapshot } from './snapshot';

export interface CheckResult {
  check: string;
  expected: string | number;
  actual: string | number;
  ok: boolean;
}

const check = (name: string, expected: string | number, actual: string | number): CheckResult => ({
  check: name,
  expected,
  actual,
  ok: String(expected) === String(actual),
});

const TERMINAL = new Set(['completed', 'failed']);

/** The invariants one run must keep by itself, whatever was killed during it. */
export function consistencyChecks(s: RunSnapshot): CheckResult[] {
  const perCommunity = (f: (c: CommunityOutcome) => boolean) => s.communities.filter(f).length;
  return [
    check('state rollout status', 'completed', s.stateStatus),
    check(
      'communities terminal',
      s.totalCommunities,
      perCommunity((c) => TERMINAL.has(c.status)),
    ),
    check('completed + failed = total', s.totalCommunities, s.completed + s.failed),
    check(
      'orchestrator businesses = discovery businesses',
      s.totalBusinessesDiscovered,
      s.discoveryBusinesses,
    ),
    check(
      'communities whose business count differs',
      0,
      perCommunity((c) => c.businessesDiscovered !== c.discoveryBusinesses),
    ),
    check(
      'usage events in stream: duplicate event ids',
      0,
      s.usageEvents - s.distinctUsageEventIds,
    ),
    check('usage ids under two events', 0, s.distinctUsageEventIds - s.distinctUsageIds),
    check('ledger rows = distinct ApiUsageRecorded', s.distinctUsageIds, s.ledgerRows),
    check('usages lost by the ledger', 0, s.usageIdsMissingFromLedger),
    check('ledger rows not in the stream', 0, s.ledgerRowsNotInStream),
    check('ledger requests = orchestrator API calls', s.orchestratorApiCalls, s.ledgerRequests),
    check('ledger cost = stream cost', s.streamCost, s.ledgerCost),
    check('orchestrator cost = ledger cost', s.ledgerCost, s.orchestratorApiCost),
    check(
      'communities whose ledger rows ≠ usage events',
      0,
      perCommunity((c) => c.ledgerRows !== c.streamUsages),
    ),
    check(
      'communities whose ledger cost ≠ orchestrator cost',
      0,
      perCommunity((c) => c.ledgerCost !== c.apiCost),
    ),
  ];
}

/**
 * What must equal an undisturbed run with the same seed. Always: per community (by name) the final
 * status and every phase's status. With `exact` (no injected errors, so every call answers), also
 * the counters that depend on which calls succeeded: businesses, API calls, cost.
 */
export function baselineChecks(
  run: RunSnapshot,
  baseline: RunSnapshot,
  exact: boolean,
): CheckResult[] {
  const base = new Map(baseline.communities.map((c) => [c.name, c]));
  const differ = (f: (a: CommunityOutcome, b: CommunityOutcome) => boolean) =>
    run.communities.filter((c) => !base.has(c.name) || f(c, base.get(c.name)!)).length;
  const results = [
    check('communities (vs undisturbed)', baseline.communities.length, run.communities.length),
    check('completed (vs undisturbed)', baseline.completed, run.completed),
    check('failed (vs undisturbed)', baseline.failed, run.failed),
    check(
      'communities whose status/phases differ',
      0,
      differ((a, b) => a.status !== b.status || a.phases.join() !== b.phases.join()),
    ),
  ];
  if (!exact) return results;
  return [
    ...results,
    check(
      'total businesses (vs undisturbed)',
      baseline.totalBusinessesDiscovered,
      run.totalBusinessesDiscovered,
    ),
    check('ledger rows (vs undisturbed)', baseline.ledgerRows, run.ledgerRows),
    check('ledger cost (vs undisturbed)', baseline.ledgerCost, run.ledgerCost),
    check(
      'communities whose counters differ',
      0,
      differ(
        (a, b) =>
          a.businessesDiscovered !== b.businessesDiscovered ||
          a.apiCallsMade !== b.apiCallsMade ||
          a.apiCost !== b.apiCost,
      ),
    ),
  ];
}

/** A plain-text table of the checks, one line each. */
export function formatChecks(title: string, results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.check.length), 10);
  const lines = results.map(
    (r) =>
      `${r.ok ? 'ok  ' : 'FAIL'}  ${r.check.padEnd(width)}  expected ${String(r.expected).padStart(10)}  actual ${String(r.actual).padStart(10)}`,
  );
  return [`── ${title}`, ...lines].join('\n');
}

/** How many communities failed, by the last error code of their log (`phase:code`). */
export function failureReasons(s: RunSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of s.communities.filter((x) => x.status === 'failed')) {
    const key = c.errors.at(-1) ?? 'none';
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
