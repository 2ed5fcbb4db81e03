import fc from 'fast-check';
import { computeEventHash, hashCanonicalParts } from './hash-chain';
import { canonicalJson } from '@hz/kernel';

describe('hashCanonicalParts over canonicalPartsText (the hash of the light entry point, issue 13)', () => {
  const header = fc.record({
    streamId: fc.string({ maxLength: 30, unit: 'binary' }),
    revision: fc.bigInt({ min: 0n, max: 2n ** 63n }),
    id: fc.string({ maxLength: 40 }),
    type: fc.string({ maxLength: 30, unit: 'binary' }),
  });
  const object = fc.dictionary(
    fc.string({ maxLength: 8, unit: 'binary' }),
    fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.constant(null), fc.boolean()),
  );

  it('is computeEventHash, to the character (non-ASCII text included)', () => {
    fc.assert(
      fc.property(header, object, object, (event, data, metadata) => {
        const dataText = canonicalJson(data);
        const metadataText = canonicalJson(metadata);
        const fast = hashCanonicalParts(event, dataText, metadataText);
        expect(fast).toBe(computeEventHash({ ...event, data, metadata }));
        expect(fast).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('changes with any part', () => {
    const event = { streamId: 's', revision: 1n, id: 'e', type: 'T' };
    const base = hashCanonicalParts(event, '{"a":"1.00"}', '{}');
    expect(hashCanonicalParts(event, '{"a":"1.01"}', '{}')).not.toBe(base);
    expect(hashCanonicalParts({ ...event, revision: 2n }, '{"a":"1.00"}', '{}')).not.toBe(base);
  });
});
