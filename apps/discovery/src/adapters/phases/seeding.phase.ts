import type { CommunityPhaseRequested } from '@rcp/contracts';
import { decideSeeding } from '../../domain/business/business-seeding';
import { refOf, type PhaseDeps, type PhaseWork } from './phase-work';

/** Phase 6: directory listings, event venues and CRM leads for the downstream products. */
export async function runSeedingPhase(
  job: CommunityPhaseRequested,
  deps: PhaseDeps,
): Promise<PhaseWork> {
  const businesses = await deps.loadBusinesses(job.communityRolloutId);
  const { events, counters } = decideSeeding(refOf(job), businesses, deps.clock());
  return {
    outcome: { type: 'complete', counters, warnings: [] },
    businessEvents: [],
    seedingEvents: events,
    newsSources: [],
    usage: [],
  };
}
