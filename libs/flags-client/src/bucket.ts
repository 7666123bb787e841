import { x86 } from 'murmurhash3js';

const hash32 = x86.hash32;

/**
 * Unleash-compatible stickiness bucket, 1–100:
 * `murmur3_x86_32("<groupId>:<subjectId>", seed 0) as unsigned % 100 + 1` — the same function
 * (and library) unleash-client-node uses, so a subject lands in the same bucket as in Unleash.
 */
export function unleashBucket(groupId: string, subjectId: string): number {
  return bucketOfKey(`${groupId}:${subjectId}`);
}

/** Bucket of an already joined `<groupId>:<subjectId>` key. */
export function bucketOfKey(key: string): number {
  return ((hash32(key, 0) >>> 0) % 100) + 1;
}
