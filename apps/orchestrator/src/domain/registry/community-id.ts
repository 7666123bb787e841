import { deterministicUuid } from '@rcp/domain';

/** A community's id is derived from its source and external id (or state and name), so re-imports update it. */
export function communityIdOf(
  source: string,
  stateCode: string,
  name: string,
  externalId?: string | null,
): string {
  return deterministicUuid(
    `community:${source}:${externalId ?? `${stateCode}:${name.trim().toLowerCase()}`}`,
  );
}
