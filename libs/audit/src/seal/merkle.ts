/**
 * A Merkle tree over the event hashes in position order (RFC 6962 shape). Leaves and inner nodes are
 * hashed with different one-byte prefixes so that an inner node can never pass for a leaf, and an odd
 * count is split at the largest power of two below it instead of duplicating the last leaf (which would
 * let two different logs share a root).
 */
import { createHash, hash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The root of an empty log: SHA-256 of nothing, as in RFC 6962. */
export const EMPTY_MERKLE_ROOT = createHash('sha256').digest('hex');

export function merkleLeaf(eventHashHex: string): Buffer {
  if (!HEX_SHA256.test(eventHashHex))
    throw new RangeError(`not a SHA-256 hex digest: ${eventHashHex}`);
  return sha256(Buffer.concat([LEAF_PREFIX, Buffer.from(eventHashHex, 'hex')]));
}

function merkleNode(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([NODE_PREFIX, left, right]));
}

/** One-shot SHA-256 (no Hash object per call: a million of them cost the GC more than the hashing). */
function sha256(bytes: Buffer): Buffer {
  return hash('sha256', bytes, 'buffer');
}

/**
 * Builds the root incrementally, so a million events need only O(log n) memory: the stack holds one
 * perfect subtree per set bit of the count, exactly as a binary counter carries.
 */
export class MerkleAccumulator {
  private readonly stack: Array<{ readonly size: number; readonly hash: Buffer }> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Subtree roots held: one per set bit of `size`, so at most log2(size) + 1 (seal's whole state). */
  get subtrees(): number {
    return this.stack.length;
  }

  add(eventHashHex: string): void {
    let entry = { size: 1, hash: merkleLeaf(eventHashHex) };
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined || top.size !== entry.size) break;
      this.stack.pop();
      entry = { size: top.size * 2, hash: merkleNode(top.hash, entry.hash) };
    }
    this.stack.push(entry);
    this.count += 1;
  }

  /** The RFC 6962 root: perfect subtrees are joined right to left, the smaller one on the right. */
  root(): string {
    let hash: Buffer | undefined;
    for (let index = this.stack.length - 1; index >= 0; index -= 1) {
      const subtree = this.stack[index] as { readonly hash: Buffer };
      hash = hash === undefined ? subtree.hash : merkleNode(subtree.hash, hash);
    }
    return hash === undefined ? EMPTY_MERKLE_ROOT : hash.toString('hex');
  }
}

/** The root of a whole list at once; used by tests as the reference for the accumulator. */
export function merkleRoot(eventHashesHex: readonly string[]): string {
  return eventHashesHex.length === 0
    ? EMPTY_MERKLE_ROOT
    : recursiveRoot(eventHashesHex.map(merkleLeaf)).toString('hex');
}

function recursiveRoot(leaves: readonly Buffer[]): Buffer {
  const [only] = leaves;
  if (leaves.length === 1 && only !== undefined) return only;
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return merkleNode(recursiveRoot(leaves.slice(0, split)), recursiveRoot(leaves.slice(split)));
}
