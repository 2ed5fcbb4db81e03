import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { EMPTY_MERKLE_ROOT, MerkleAccumulator, merkleRoot } from './merkle';

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('Invariant 7: chains — Merkle root over event hashes', () => {
  it('gives the RFC 6962 empty root for an empty log', () => {
    expect(merkleRoot([])).toBe(EMPTY_MERKLE_ROOT);
    expect(new MerkleAccumulator().root()).toBe(EMPTY_MERKLE_ROOT);
  });

  it('the incremental accumulator agrees with the recursive definition for every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), (count) => {
        const hashes = Array.from({ length: count }, (_, index) => hashOf(`event-${index}`));
        const accumulator = new MerkleAccumulator();
        hashes.forEach((hash) => accumulator.add(hash));
        expect(accumulator.root()).toBe(merkleRoot(hashes));
        expect(accumulator.size).toBe(count);
      }),
    );
  });

  it('changes when any hash changes, when two are swapped, or when one is dropped', () => {
    const hashes = Array.from({ length: 9 }, (_, index) => hashOf(`event-${index}`));
    const root = merkleRoot(hashes);
    const edited = [...hashes];
    edited[4] = hashOf('forged');
    const swapped = [...hashes];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(merkleRoot(edited)).not.toBe(root);
    expect(merkleRoot(swapped)).not.toBe(root);
    expect(merkleRoot(hashes.slice(0, 8))).not.toBe(root);
  });

  it('does not let an odd leaf be duplicated to forge a second log with the same root', () => {
    const three = [hashOf('a'), hashOf('b'), hashOf('c')];
    expect(merkleRoot([...three, hashOf('c')])).not.toBe(merkleRoot(three));
  });

  it('holds one subtree root per set bit of the count: at most log2(n) + 1, whatever the log length', () => {
    const accumulator = new MerkleAccumulator();
    const leaf = hashOf('leaf');
    let most = 0;
    for (let count = 1; count <= 70_000; count += 1) {
      accumulator.add(leaf);
      let bits = 0;
      for (let rest = count; rest > 0; rest >>>= 1) bits += rest & 1;
      expect(accumulator.subtrees).toBe(bits);
      most = Math.max(most, accumulator.subtrees);
    }
    expect(most).toBeLessThanOrEqual(Math.floor(Math.log2(70_000)) + 1);
  });

  it('refuses what is not a SHA-256 hex digest', () => {
    expect(() => new MerkleAccumulator().add('abc')).toThrow(RangeError);
  });
});
