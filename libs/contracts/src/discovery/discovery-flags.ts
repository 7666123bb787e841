/**
 * Feature flags discovery evaluates (subject: the community id; attributes: `population`,
 * `stateCode`). A missing flag or an unreachable flags service means the default path.
 */
export const DISCOVERY_FLAGS = {
  /**
   * Phase 1: on → dense categories take one Nearby Search each (processor `nearby_dense`);
   * off (default) → paginated Text Search (up to 3 pages of 20). Outcomes of the flagged path are
   * reported with `cmd.flags.RecordJobOutcome`, so a failing path rolls itself back.
   */
  denseNearbySearch: 'discovery.dense-nearby-search',
} as const;

/** `processor` of the job outcomes discovery reports under {@link DISCOVERY_FLAGS}. */
export const DISCOVERY_FLAG_PROCESSORS = {
  nearbyDense: 'nearby_dense',
} as const;
