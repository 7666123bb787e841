import { createHash } from 'node:crypto';

const NAMESPACE = 'rcp.flags';

/** A name-based (v5-style, SHA-1) UUID: the same key always gives the same id, so rebuilds match. */
export function stableUuid(...parts: string[]): string {
  const hash = createHash('sha1')
    .update(`${NAMESPACE}:${parts.join('\u0000')}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `rollout_configuration.id` of a flag. */
export const flagConfigId = (flag: string): string => stableUuid('flag', flag);
