import { bucketOfKey, unleashBucket } from './bucket';

/** Independent MurmurHash3 x86_32 over UTF-8 bytes, written from the reference C code. */
function referenceMurmur3(text: string, seed = 0): number {
  const bytes = Buffer.from(text, 'utf8');
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  const mixK = (k: number) => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    h ^= mixK(bytes.readUInt32LE(i * 4));
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest >= 3) k ^= bytes[tail + 2] << 16;
  if (rest >= 2) k ^= bytes[tail + 1] << 8;
  if (rest >= 1) h ^= mixK(k ^ bytes[tail]);
  h ^= bytes.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

describe('Unleash-compatible buckets', () => {
  it('the reference hash reproduces published MurmurHash3 x86_32 vectors (seed 0)', () => {
    expect(referenceMurmur3('')).toBe(0);
    expect(referenceMurmur3('hello')).toBe(0x248bfa47);
    expect(referenceMurmur3('abc')).toBe(0xb3dd93fa);
  });

  it.each([
    // Vectors of Unleash's client specification (normalizedValue(id, groupId)).
    ['gr1', '123', 73],
    ['groupX', '999', 25],
    ['discovery.dense-search', 'community-1', 77],
    ['discovery.dense-search', 'community-2', 53],
    ['f', '123', 94],
    ['groupA', 'user-42', 44],
  ])('puts subject %s:%s in bucket %i', (group, subject, bucket) => {
    expect(unleashBucket(group, subject)).toBe(bucket);
    expect((referenceMurmur3(`${group}:${subject}`) % 100) + 1).toBe(bucket);
  });

  it('agrees with the reference hash on 5,000 generated ASCII keys and stays within 1–100', () => {
    for (let i = 0; i < 5_000; i++) {
      const key = `group-${i % 7}:subject-${i * 7919}`;
      const bucket = bucketOfKey(key);
      expect(bucket).toBe((referenceMurmur3(key) % 100) + 1);
    }
  });

  it('spreads subjects evenly: each decile holds 10 % ± 1.5 % of 20,000 subjects', () => {
    const deciles = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++)
      deciles[Math.floor((unleashBucket('spread', `s${i}`) - 1) / 10)] += 1;
    for (const count of deciles) expect(Math.abs(count - 2_000)).toBeLessThan(300);
  });
});
