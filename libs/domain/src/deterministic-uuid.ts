import { createHash } from 'node:crypto';

/** The RFC 4122 URL namespace; any fixed namespace works, this one is well known. */
const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A name-based (version 5) UUID: the same name always gives the same id. Used for ids that must
 * survive re-imports and for commandIds of reactions (derived from the event that caused them).
 */
export function deterministicUuid(name: string, namespace: string = NAMESPACE): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  return uuidFromSha1(createHash('sha1').update(namespaceBytes).update(name).digest());
}

/**
 * A SHA-1 digest laid out as a version-5 UUID (RFC 4122 version and variant bits), for services
 * that hash their names their own way (a prefix instead of namespace bytes). Ids made with it are
 * stored, so neither the layout nor any caller's input may change.
 */
export function uuidFromSha1(digest: Buffer): string {
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
