import { canonicalJson } from '@hz/kernel';
import {
  computeEventHash,
  GENESIS_PREV_HASH,
  hashCanonicalParts,
  type HashableEvent,
} from './hash-chain';

const EVENT: HashableEvent = {
  streamId: 'applicant-91330100MA27XYZ12A',
  revision: 0n,
  id: '7b3c0d3e-1f43-5a8e-9d2b-6a1f0c2e4b5d',
  type: 'ClaimSubmitted',
  data: { claimId: '91330100MA27XYZ12A-1', amount: '1250.00' },
  metadata: {
    actor: 'user-7',
    occurredAt: '2024-02-29T23:59:59.000Z',
    recordedAt: '2024-03-01T08:00:00.000Z',
    prevHash: GENESIS_PREV_HASH,
  },
};

describe('Invariant 7: chains — computeEventHash', () => {
  it('is SHA-256 over the canonical JSON of the documented fields (golden vector for every adapter and language)', () => {
    // sha256 of: {"data":{"amount":"1250.00","claimId":"91330100MA27XYZ12A-1"},"id":"7b3c…","metadata":{"actor":"user-7",
    // "occurredAt":"…","prevHash":"000…","recordedAt":"…"},"revision":"0","streamId":"applicant-…","type":"ClaimSubmitted"}
    expect(computeEventHash(EVENT)).toBe(
      '08f4632ec8f3d0fe069753fb6cccfb5994a9814e46d755df05118994d969f806',
    );
  });

  it('leaves the stored hash itself out, so a stored event verifies against its own hash', () => {
    expect(
      computeEventHash({ ...EVENT, metadata: { ...EVENT.metadata, hash: 'f'.repeat(64) } }),
    ).toBe(computeEventHash(EVENT));
  });

  it.each<[string, Partial<HashableEvent>]>([
    ['stream', { streamId: 'applicant-other' }],
    ['revision', { revision: 1n }],
    ['id', { id: '7b3c0d3e-1f43-5a8e-9d2b-6a1f0c2e4b5e' }],
    ['type', { type: 'ClaimWithdrawn' }],
    ['data', { data: { claimId: '91330100MA27XYZ12A-1', amount: '1250.01' } }],
    ['prevHash', { metadata: { ...EVENT.metadata, prevHash: 'a'.repeat(64) } }],
    ['recordedAt', { metadata: { ...EVENT.metadata, recordedAt: '2024-03-01T08:00:00.001Z' } }],
  ])('changes when the %s changes', (_, change) => {
    expect(computeEventHash({ ...EVENT, ...change })).not.toBe(computeEventHash(EVENT));
  });

  it('does not depend on key order', () => {
    const reordered: HashableEvent = {
      ...EVENT,
      data: { amount: '1250.00', claimId: '91330100MA27XYZ12A-1' },
    };
    expect(computeEventHash(reordered)).toBe(computeEventHash(EVENT));
  });
});

describe('hashCanonicalParts', () => {
  it('gives computeEventHash’s result from pre-canonicalised texts', () => {
    const { hash: _none, ...metadata } = { ...EVENT.metadata, hash: undefined };
    expect(hashCanonicalParts(EVENT, canonicalJson(EVENT.data), canonicalJson(metadata))).toBe(
      computeEventHash(EVENT),
    );
  });
});
