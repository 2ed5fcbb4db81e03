/**
 * `seal` and `verify --checkpoint` on a live store: the Merkle root of the first N event hashes in
 * position order, signed; and later, proof that the log still begins with exactly those N events.
 */
import type { KeyObject } from 'node:crypto';
import { computeEventHash, type RecordedEvent } from '@hz/event-store';
import type { Finding } from '../invariants/findings';
import { rowHashes } from '../log/raw-events';
import { scanRows, type ScannedStore, type ScanProgress } from '../log/scan-log';
import {
  CHECKPOINT_FORMAT,
  checkpointSignatureValid,
  keyIdOf,
  publicKeyOfCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint';
import { MerkleAccumulator } from './merkle';

export interface SealOptions {
  readonly privateKey: KeyObject;
  readonly now: Date;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * One streaming pass in position order (issue 13): each event's hash is recomputed from its stored texts
 * without parsing them (../log/raw-events.ts: the same digest as computeEventHash), and the Merkle tree is
 * a stack of at most log2(n) subtree roots; nothing else is kept, whatever the length of the log.
 */
export async function sealLog(store: ScannedStore, options: SealOptions): Promise<Checkpoint> {
  const merkle = new MerkleAccumulator();
  const scan = await scanRows(store, (row) => merkle.add(rowHashes(row).hash), {
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const body = {
    format: CHECKPOINT_FORMAT,
    position: scan.lastPosition.toString(),
    eventCount: scan.eventCount,
    merkleRoot: merkle.root(),
    sealedAt: options.now.toISOString(),
  } as const;
  return signCheckpoint(body, options.privateKey);
}

/**
 * The leaf of an event: its hash recomputed from its content, not the stored `metadata.hash`, so that the
 * checkpoint alone proves the content of every sealed event (an edit that kept the old stored hash fails
 * here too, not only in the chain check).
 */
export function leafHashOf(event: RecordedEvent): string {
  return computeEventHash(event);
}

/**
 * A visitor for the verify pass: feed every event in position order, then ask for findings. It keeps
 * only the Merkle stack, so it can ride along the same scan as the invariant checks.
 */
export class CheckpointCheck {
  private readonly merkle = new MerkleAccumulator();
  private lastSealedPosition: bigint | undefined;

  constructor(
    private readonly checkpoint: Checkpoint,
    /** When given, the checkpoint must be signed by this key (a key the auditor trusts, not the file's). */
    private readonly trustedPublicKey?: KeyObject,
  ) {}

  /** `hash`: the event's recomputed hash when the caller has it already (verify's chain scan). */
  visit(event: Pick<RecordedEvent, 'position'>, hash?: string): void {
    if (this.merkle.size >= this.checkpoint.eventCount) return;
    this.merkle.add(hash ?? leafHashOf(event as RecordedEvent));
    this.lastSealedPosition = event.position;
  }

  findings(): Finding[] {
    const at = (code: string, message: string): Finding => ({
      check: 'checkpoint',
      code,
      message,
      position: this.checkpoint.position,
    });
    const findings: Finding[] = [];
    if (!checkpointSignatureValid(this.checkpoint))
      findings.push(
        at(
          'CHECKPOINT.SIGNATURE_INVALID',
          'the checkpoint signature does not verify: the file was altered',
        ),
      );
    if (
      this.trustedPublicKey &&
      keyIdOf(this.trustedPublicKey) !== keyIdOf(publicKeyOfCheckpoint(this.checkpoint))
    ) {
      findings.push(
        at(
          'CHECKPOINT.UNTRUSTED_KEY',
          `signed by key ${this.checkpoint.keyId}, not by the trusted key ${keyIdOf(this.trustedPublicKey)}`,
        ),
      );
    }
    if (this.merkle.size < this.checkpoint.eventCount) {
      findings.push(
        at(
          'CHECKPOINT.LOG_TRUNCATED',
          `the log holds ${this.merkle.size} events, the checkpoint sealed ${this.checkpoint.eventCount}`,
        ),
      );
      return findings;
    }
    if (this.merkle.root() !== this.checkpoint.merkleRoot) {
      findings.push(
        at(
          'CHECKPOINT.ROOT_MISMATCH',
          `the first ${this.checkpoint.eventCount} events hash to ${this.merkle.root()}, sealed ${this.checkpoint.merkleRoot}: history was rewritten`,
        ),
      );
    }
    if (
      this.checkpoint.eventCount > 0 &&
      this.lastSealedPosition?.toString() !== this.checkpoint.position
    ) {
      findings.push(
        at(
          'CHECKPOINT.POSITION_MISMATCH',
          `event ${this.checkpoint.eventCount} is at position ${this.lastSealedPosition?.toString() ?? '-'}, sealed at ${this.checkpoint.position}`,
        ),
      );
    }
    return findings;
  }
}
