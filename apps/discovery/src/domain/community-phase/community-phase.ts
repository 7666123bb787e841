import type { CommunityPhaseCompleted, CommunityPhaseFailed } from '@rcp/contracts';
import { assertNever } from '@rcp/domain';
import type { SeedingEvent } from '../business/business-seeding';

/**
 * Discovery's `CommunityRollout-<id>` stream: the answers to the orchestrator's phase requests,
 * and phase 6's seeding batches (which change no decision).
 */
export type CommunityPhaseEvent =
  | { type: 'CommunityPhaseCompleted'; data: CommunityPhaseCompleted }
  | { type: 'CommunityPhaseFailed'; data: CommunityPhaseFailed }
  | SeedingEvent;

/** Which `(phase, attempt)` pairs have been answered already: each is answered once. */
export interface CommunityPhaseState {
  answered: readonly string[];
}

export const initialCommunityPhaseState: CommunityPhaseState = { answered: [] };

export const answerKey = (phase: number, attempt: number): string => `${phase}:${attempt}`;

export function evolveCommunityPhase(
  state: CommunityPhaseState,
  event: CommunityPhaseEvent,
): CommunityPhaseState {
  switch (event.type) {
    case 'CommunityPhaseCompleted':
    case 'CommunityPhaseFailed':
      return { answered: [...state.answered, answerKey(event.data.phase, event.data.attempt)] };
    case 'DirectoryListingSeeded':
    case 'EventVenueSeeded':
    case 'CrmLeadSeeded':
      return state;
    default:
      return assertNever(event);
  }
}
