/**
 * The hash-chain check of verify's stream-by-stream pass (issue 13): the events of one stream arrive
 * together, in revision order, so the check keeps only the previous event (revision, hash, position) of
 * the stream being read: O(1) memory whatever the length of the log. An intact chain reads revisions 0, 1,
 * 2 … at increasing positions, each linking to the hash before it and hashing to its stored hash. A stream
 * that does not is re-read whole and handed to the event store's own verifier (verifyStreamChain), and the
 * problems are listed stream by stream in the order of each stream's first event in the log, so the
 * findings are exactly those `verifyAllChains` gives, in its order (./chain-scan.ts does the same in
 * position order).
 */
import {
  GENESIS_PREV_HASH,
  verifyStreamChain,
  type ChainProblem,
  type EventStore,
  type RawEventRow,
} from '@hz/event-store/rows';
import type { RowHashes } from '../log/raw-events';

export class StreamChainCheck {
  private streamId: string | undefined;
  private intact = true;
  private revision = -1n;
  private hash = GENESIS_PREV_HASH;
  private position: bigint | undefined;
  /** Streams that did not read as an intact chain: a handful in a tampered log, none in an intact one. */
  private readonly suspects: string[] = [];

  visit(row: RawEventRow, hashes: RowHashes): void {
    if (row.streamId !== this.streamId) {
      this.closeStream();
      this.streamId = row.streamId;
      this.intact = true;
      this.revision = -1n;
      this.hash = GENESIS_PREV_HASH;
      this.position = undefined;
    }
    if (!this.intact) return;
    this.intact =
      row.revision === this.revision + 1n &&
      hashes.prevHash === this.hash &&
      hashes.hash === hashes.storedHash &&
      (this.position === undefined || row.position > this.position);
    this.revision = row.revision;
    this.hash = hashes.hash;
    this.position = row.position;
  }

  async problems(store: Pick<EventStore, 'readStream'>): Promise<ChainProblem[]> {
    return chainProblemsOf(store, this.suspectStreams());
  }

  /** The streams that did not read as an intact chain (a worker thread posts them to the coordinator). */
  suspectStreams(): readonly string[] {
    this.closeStream();
    return this.suspects;
  }

  private closeStream(): void {
    if (this.streamId !== undefined && !this.intact) this.suspects.push(this.streamId);
    this.streamId = undefined;
  }
}

/**
 * The suspect streams re-read whole and judged by the event store's verifier, listed in the order of each
 * stream's first event in the log (the order verifyAllChains gives), whichever reader found them.
 */
export async function chainProblemsOf(
  store: Pick<EventStore, 'readStream'>,
  suspects: Iterable<string>,
): Promise<ChainProblem[]> {
  const streams: Array<{ readonly first: bigint; readonly problems: ChainProblem[] }> = [];
  for (const streamId of suspects) {
    const events = await store.readStream(streamId);
    let first: bigint | undefined;
    for (const event of events)
      if (first === undefined || event.position < first) first = event.position;
    streams.push({ first: first ?? 0n, problems: verifyStreamChain(events) });
  }
  streams.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  return streams.flatMap((stream) => stream.problems);
}
