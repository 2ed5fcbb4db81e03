/**
 * The single-threaded part of the parallel rebuild (issue 13): the fiscal totals. A bucket (funder, fiscal
 * month, clause) sums the movements of every applicant, and each event that moves it writes a version
 * stamped with its position and watermark, so the movements the partitions post are folded here in
 * position order (a k-way merge of the partitions' queues, each already in position order) with the same
 * evolveFiscal as the sequential runner. A movement is folded only once every partition has reported
 * progress past its position, so nothing later can still come before it.
 */
import { evolveFiscal, fiscalKey, type FiscalMovement } from '../model/fiscal';
import type { FiscalBucket, FiscalFlow } from '../model/rows';
import { MOVEMENT_FIELDS, type MovementTuples } from './worker-protocol';

interface PartitionQueue {
  readonly batches: { readonly tuples: MovementTuples; index: number }[];
  /** Every movement of the partition up to this position has arrived. */
  through: number;
  done: boolean;
}

export class FiscalFold {
  private readonly queues: PartitionQueue[];
  private readonly buckets = new Map<string, FiscalBucket>();
  private versions: FiscalBucket[] = [];

  constructor(partitions: number) {
    this.queues = Array.from({ length: partitions }, () => ({
      batches: [],
      through: 0,
      done: false,
    }));
  }

  /** A partition's batch: its movements and how far it has read. */
  push(partition: number, tuples: MovementTuples, through: number): void {
    const queue = this.queueOf(partition);
    if (tuples.length > 0) queue.batches.push({ tuples, index: 0 });
    if (through > queue.through) queue.through = through;
  }

  finish(partition: number): void {
    this.queueOf(partition).done = true;
  }

  /**
   * Folds every movement that no partition can still precede; returns, per partition, how many of its
   * batches were fully folded (the coordinator acknowledges them). Batches without movements count at once.
   */
  fold(): number[] {
    const folded = this.queues.map(() => 0);
    const limit = Math.min(
      ...this.queues.map((queue) => (queue.done ? Number.POSITIVE_INFINITY : queue.through)),
    );
    for (;;) {
      let next: PartitionQueue | undefined;
      let nextPosition = Number.POSITIVE_INFINITY;
      for (const queue of this.queues) {
        const batch = queue.batches[0];
        const position = batch === undefined ? undefined : (batch.tuples[batch.index] as number);
        if (position !== undefined && position < nextPosition) {
          next = queue;
          nextPosition = position;
        }
      }
      if (next === undefined || nextPosition > limit) return folded;
      const batch = next.batches[0];
      if (batch === undefined) return folded;
      this.foldEvent(batch, nextPosition);
      if (batch.index >= batch.tuples.length) {
        next.batches.shift();
        const index = this.queues.indexOf(next);
        folded[index] = (folded[index] ?? 0) + 1;
      }
    }
  }

  /** The versions folded since the last call, for the store. */
  takeVersions(): FiscalBucket[] {
    const versions = this.versions;
    this.versions = [];
    return versions;
  }

  get pendingVersions(): number {
    return this.versions.length;
  }

  /** Movements still queued (folded ones excluded): what the partitions' progress has not released yet. */
  get queuedBatches(): number {
    return this.queues.reduce((sum, queue) => sum + queue.batches.length, 0);
  }

  private foldEvent(
    batch: { readonly tuples: MovementTuples; index: number },
    position: number,
  ): void {
    const { tuples } = batch;
    const watermarkMs = tuples[batch.index + 1] as number;
    const movements: FiscalMovement[] = [];
    while (batch.index < tuples.length && tuples[batch.index] === position) {
      const at = batch.index;
      movements.push({
        funder: tuples[at + 2] as string,
        month: tuples[at + 3] as string,
        clause: tuples[at + 4] as string,
        flow: tuples[at + 5] as FiscalFlow,
        amount: tuples[at + 6] as string,
      });
      batch.index += MOVEMENT_FIELDS;
    }
    const lookup = {
      bucket: (funder: string, month: string, clause: string) =>
        this.buckets.get(fiscalKey(funder, month, clause)),
    };
    for (const version of evolveFiscal(lookup, movements, BigInt(position), watermarkMs)) {
      this.buckets.set(fiscalKey(version.funder, version.month, version.clause), version);
      this.versions.push(version);
    }
  }

  private queueOf(partition: number): PartitionQueue {
    const queue = this.queues[partition];
    if (queue === undefined) throw new RangeError(`no partition ${partition}`);
    return queue;
  }
}
