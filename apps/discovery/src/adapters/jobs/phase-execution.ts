import type { CommunityPhaseRequested } from '@rcp/contracts';
import type { DiscoveryFlags, FlagDecision } from '../flags/discovery-flags';
import { runPhase } from '../phases/phase-runner';
import type { PhaseDeps, PhaseWork } from '../phases/phase-work';
import { billedByTier, withQuotaOutcome, type PlacesQuota } from '../quota/places-quota';

/** What a phase run is checked against besides its own work: the Places quota and the flags. */
export interface PhaseGuards {
  quotas: PlacesQuota | null;
  flags: DiscoveryFlags | null;
}

export interface PhaseRun {
  work: PhaseWork;
  /** The flagged decision the run took, reported with its outcome. */
  decision: FlagDecision | null;
}

/**
 * Runs one claim of a phase job under its flag decision and its quota: every paid call holds a
 * reserved unit; afterwards the billed calls are committed and the rest released (all held units
 * are committed when the run threw, since its calls are unknown).
 */
export async function executePhase(
  request: CommunityPhaseRequested,
  claims: number,
  deps: PhaseDeps,
  guards: PhaseGuards,
  signal: AbortSignal,
): Promise<PhaseRun> {
  const decision = guards.flags?.denseSearch(request) ?? null;
  const quota = guards.quotas?.forJob(request, claims, deps.clock()) ?? null;
  const runDeps: PhaseDeps = {
    ...deps,
    quota: quota ?? undefined,
    denseNearby: decision?.enabled ?? false,
  };
  let work: PhaseWork | undefined;
  try {
    work = await runPhase(request, runDeps, signal);
  } finally {
    await quota?.settle(work ? billedByTier(work) : undefined);
  }
  return { work: quota ? withQuotaOutcome(work, quota) : work, decision };
}
