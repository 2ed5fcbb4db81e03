/**
 * The hash-chain check riding verify's one pass in position order (issue 13: read the log once, in flat
 * memory). Per stream it keeps only the head (revision and hash): an intact chain shows, in position order,
 * revisions 0, 1, 2 … each linking to the hash before it and each hashing to its stored hash. A stream
 * that does not is re-read whole and handed to the event store's own verifier (verifyStreamChain), so a
 * broken stream gets exactly the findings `verifyAllChains` gives: an intact linear chain is one that
 * verifier passes, and only streams that are not are read a second time.
 *
 * Memory: one head per stream (about 200 bytes), not per event.
 */
import {
  GENESIS_PREV_HASH,
  verifyStreamChain,
  type ChainProblem,
  type EventStore,
  type RecordedEvent,
} from '@hz/event-store';

interface StreamHead {
  readonly revision: bigint;
  readonly hash: string;
}

export class ChainScan {
  /** In order of each stream's first event: the order verifyAllChains reports streams in. */
  private readonly heads = new Map<string, StreamHead | null>();

  /** `hash`: the event's hash recomputed from its content (computeEventHash), shared with the seal check. */
  visit(event: RecordedEvent, hash: string): void {
    const head = this.heads.get(event.streamId);
    if (head === null) return; // already suspect
    const intact =
      event.revision === (head === undefined ? 0n : head.revision + 1n) &&
      event.metadata.prevHash === (head === undefined ? GENESIS_PREV_HASH : head.hash) &&
      hash === event.metadata.hash;
    this.heads.set(event.streamId, intact ? { revision: event.revision, hash } : null);
  }

  /** The problems of every stream that did not read as an intact chain, each stream read whole once. */
  async problems(store: Pick<EventStore, 'readStream'>): Promise<ChainProblem[]> {
    const problems: ChainProblem[] = [];
    for (const [streamId, head] of this.heads)
      if (head === null) problems.push(...verifyStreamChain(await store.readStream(streamId)));
    return problems;
  }
}
