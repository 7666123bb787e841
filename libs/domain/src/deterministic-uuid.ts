import { createHash } from 'node:crypto';

/** The RFC 4122 URL namespace; any fixed namespace works, this one is well known. */
const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A name-based (version 5) UUID: the same name always gives the same id. Used for ids that must
 * survive re-imports and for commandIds of reactions (derived from the event that caused them).
 */
export function deterministicUuid(name: string, namespace: string = NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
