import type { CommunityPhaseRequested } from '@rcp/contracts';
import { PHASE_FAILURE_CODES } from '../../domain/community-phase/community-phase.decide';
import { runDiscoveryPhase } from './discovery.phase';
import { runEnrichmentPhase } from './enrichment.phase';
import { runNewsSourcesPhase } from './news-sources.phase';
import { emptyWork, type PhaseDeps, type PhaseWork } from './phase-work';
import { runScanningPhase } from './scanning.phase';
import { runSeedingPhase } from './seeding.phase';

/** The phases discovery owns (5 is the orchestrator's quality gate). */
export const OWNED_PHASES: readonly number[] = [1, 2, 3, 4, 6];

export async function runPhase(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
  signal: AbortSignal,
): Promise<PhaseWork> {
  switch (job.phase) {
    case 1:
      return runDiscoveryPhase(job, deps, signal);
    case 2:
      return runScanningPhase(job, deps, signal);
    case 3:
      return runNewsSourcesPhase(job, deps, signal);
    case 4:
      return runEnrichmentPhase(job, deps, signal);
    case 6:
      return runSeedingPhase(job, deps);
    default:
      return emptyWork({
        type: 'fail',
        error: {
          code: PHASE_FAILURE_CODES.phaseError,
          message: `discovery does not own phase ${job.phase}`,
        },
        retryable: false,
      });
  }
}
