import { createHash } from 'node:crypto';
import { deterministicUuid, uuidFromSha1 } from './deterministic-uuid';

describe('deterministicUuid', () => {
  it('matches the RFC 4122 version-5 vector for "www.example.com" in the DNS namespace', () => {
    expect(deterministicUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives the same id for the same name and different ids for different names', () => {
    expect(deterministicUuid('geonames:4046255')).toBe(deterministicUuid('geonames:4046255'));
    expect(deterministicUuid('geonames:4046255')).not.toBe(deterministicUuid('geonames:4046256'));
    expect(deterministicUuid('a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('uuidFromSha1', () => {
  it('lays a digest out with the version-5 and variant bits, as every stored id was made', () => {
    const digest = createHash('sha1').update('abc').digest(); // a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d
    expect(uuidFromSha1(digest)).toBe('a9993e36-4706-516a-ba3e-25717850c26c');
  });
});
