/** Status of a state rollout (seed 000, plus `cancelled`). */
export const STATE_ROLLOUT_STATUSES = [
  'planned',
  'in_progress',
  'paused',
  'completed',
  'cancelled',
] as const;
export type StateRolloutStatus = (typeof STATE_ROLLOUT_STATUSES)[number];

/** Statuses in which a state rollout counts as active (at most one per state). */
export const ACTIVE_STATE_ROLLOUT_STATUSES = ['planned', 'in_progress'] as const;

/** Status of one community's rollout (seed 000, plus `phase_6_seeding`). */
export const COMMUNITY_ROLLOUT_STATUSES = [
  'queued',
  'phase_1_discovery',
  'phase_2_scanning',
  'phase_3_sources',
  'phase_4_enrichment',
  'phase_5_verification',
  'phase_6_seeding',
  'completed',
  'failed',
  'paused',
] as const;
export type CommunityRolloutStatus = (typeof COMMUNITY_ROLLOUT_STATUSES)[number];

/** Status of one phase of a community rollout; `skipped` is phase 4 under `skipEnrichment`. */
export const PHASE_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

/** The six phases of a community rollout. */
export const PHASES = [1, 2, 3, 4, 5, 6] as const;
export type Phase = (typeof PHASES)[number];

/** What each phase does; `phase_<n>_<name>` is the community status while it runs. */
export const PHASE_NAMES = {
  1: 'discovery',
  2: 'scanning',
  3: 'sources',
  4: 'enrichment',
  5: 'verification',
  6: 'seeding',
} as const satisfies Record<Phase, string>;

/** The community status while a phase runs, e.g. `phase_1_discovery`. */
export function phaseStatusOf(phase: Phase): CommunityRolloutStatus {
  return `phase_${phase}_${PHASE_NAMES[phase]}` as CommunityRolloutStatus;
}

/** Why a state rollout was paused. */
export const PAUSE_CAUSES = ['manual', 'budget_exceeded', 'quota_exceeded'] as const;
export type PauseCause = (typeof PAUSE_CAUSES)[number];
