import { createHash } from 'node:crypto';

const LEDGER_NAMESPACE = Buffer.from('2f0d7c1e5b9a4c3d8e6f1a2b3c4d5e6f', 'hex');

/** RFC 4122 version-5 UUID of `name` in the ledger's namespace: the same name, the same id. */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(LEDGER_NAMESPACE).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
