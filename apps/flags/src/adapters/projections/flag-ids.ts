import { createHash } from 'node:crypto';
import { uuidFromSha1 } from '@rcp/domain';

const NAMESPACE = 'rcp.flags';

/** A name-based (v5-style, SHA-1) UUID: the same key always gives the same id, so rebuilds match. */
export function stableUuid(...parts: string[]): string {
  return uuidFromSha1(
    createHash('sha1')
      .update(`${NAMESPACE}:${parts.join('\u0000')}`)
      .digest(),
  );
}

/** `rollout_configuration.id` of a flag. */
export const flagConfigId = (flag: string): string => stableUuid('flag', flag);
