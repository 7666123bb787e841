import { createHash } from 'node:crypto';
import { uuidFromSha1 } from '@rcp/domain';

const LEDGER_NAMESPACE = Buffer.from('2f0d7c1e5b9a4c3d8e6f1a2b3c4d5e6f', 'hex');

/** RFC 4122 version-5 UUID of `name` in the ledger's namespace: the same name, the same id. */
export function uuidV5(name: string): string {
  return uuidFromSha1(createHash('sha1').update(LEDGER_NAMESPACE).update(name).digest());
}
