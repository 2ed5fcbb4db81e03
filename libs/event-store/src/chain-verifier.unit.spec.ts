/**
 * The verifier on in-memory chains, tampered the way raw SQL would tamper stored rows: revisions and
 * positions stay where they were unless the attacker moves them, reads come back in revision order.
 */
import fc from 'fast-check';
import { verifyStreamChain, type ChainProblem } from './chain-verifier';
import { computeEventHash, GENESIS_PREV_HASH } from './hash-chain';
import type { RecordedEvent } from './port';
import { deterministicUuid, FIXED_INSTANT } from './testing/fixtures';

const STREAM = 'applicant-91330100MA27XYZ12A';

/** A correctly chained stream; positions step by 10 to show density is not assumed. */
function chain(length: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let prevHash = GENESIS_PREV_HASH;
  for (let index = 0; index < length; index += 1) {
    const event = forge(index, prevHash, BigInt(index + 1) * 10n, `amount-${index}`);
    events.push(event);
    prevHash = event.metadata.hash;
  }
  return events;
}

/** An event whose hash is right for its place: what an attacker who knows the scheme can write. */
function forge(revision: number, prevHash: string, position: bigint, seed: string): RecordedEvent {
  const unhashed = {
    id: deterministicUuid(seed),
    type: 'ClaimSubmitted',
    data: { claimId: seed, requestedAmount: `${revision + 1}00.00` },
    streamId: STREAM,
    revision: BigInt(revision),
    position,
    metadata: {
      actor: 'u',
      role: 'applicant',
      correlationId: 'c',
      causationId: 'c',
      idempotencyKey: seed,
      occurredAt: FIXED_INSTANT,
      recordedAt: FIXED_INSTANT,
      prevHash,
      hash: '',
    },
  };
  return { ...unhashed, metadata: { ...unhashed.metadata, hash: computeEventHash(unhashed) } };
}

function kindsAt(problems: readonly ChainProblem[]): string[] {
  return problems.map((problem) => `${problem.kind}@${problem.revision}`);
}

function editData(events: RecordedEvent[], at: number): RecordedEvent[] {
  return events.map((event, index) =>
    index === at ? { ...event, data: { ...event.data, requestedAmount: '999999.00' } } : event,
  );
}

function remove(events: RecordedEvent[], at: number): RecordedEvent[] {
  return events.filter((_, index) => index !== at);
}

/** Shifts the later rows up one revision and writes a well-forged event into the hole, at a new position. */
function insert(events: RecordedEvent[], at: number): RecordedEvent[] {
  const prevHash = at === 0 ? GENESIS_PREV_HASH : (events[at - 1]?.metadata.hash ?? '');
  const position = (events[events.length - 1]?.position ?? 0n) + 10n;
  const shifted = events.map((event, index) =>
    index >= at ? { ...event, revision: event.revision + 1n } : event,
  );
  return [...shifted.slice(0, at), forge(at, prevHash, position, 'forged'), ...shifted.slice(at)];
}

/** Swaps the contents of two neighbouring rows, leaving their revision and position columns in place. */
function swapContents(events: RecordedEvent[], at: number): RecordedEvent[] {
  const first = events[at];
  const second = events[at + 1];
  if (first === undefined || second === undefined) throw new Error('no neighbour to swap with');
  const result = [...events];
  result[at] = { ...second, revision: first.revision, position: first.position };
  result[at + 1] = { ...first, revision: second.revision, position: second.position };
  return result;
}

/** Swaps only the global positions of two neighbours: the stream order holds, the log order does not. */
function swapPositions(events: RecordedEvent[], at: number): RecordedEvent[] {
  const result = [...events];
  const first = events[at];
  const second = events[at + 1];
  if (first === undefined || second === undefined) throw new Error('no neighbour to swap with');
  result[at] = { ...first, position: second.position };
  result[at + 1] = { ...second, position: first.position };
  return result;
}

describe('Invariant 7: chains — verifyStreamChain', () => {
  it('finds nothing wrong with an intact chain, or with none at all', () => {
    expect(verifyStreamChain(chain(6))).toEqual([]);
    expect(verifyStreamChain([])).toEqual([]);
  });

  it('reports an edited payload as a hash mismatch at its revision', () => {
    const problems = verifyStreamChain(editData(chain(6), 3));
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'hash_mismatch',
        streamId: STREAM,
        revision: 3n,
        position: 40n,
      }),
    ]);
  });

  it('reports a deleted event as a gap at the missing revision, also at revision 0', () => {
    expect(kindsAt(verifyStreamChain(remove(chain(6), 2)))).toEqual(['revision_gap@2']);
    expect(kindsAt(verifyStreamChain(remove(chain(6), 0)))).toEqual(['revision_gap@0']);
  });

  it('reports a well-forged inserted event as inserted, not its renumbered successors', () => {
    expect(kindsAt(verifyStreamChain(insert(chain(6), 2)))).toEqual(['inserted@2']);
    expect(kindsAt(verifyStreamChain(insert(chain(6), 0)))).toEqual(['inserted@0']);
  });

  it('reports swapped neighbours as reordered at the first of them', () => {
    expect(kindsAt(verifyStreamChain(swapContents(chain(6), 2)))).toEqual(['reordered@2']);
    expect(kindsAt(verifyStreamChain(swapContents(chain(6), 4)))).toEqual(['reordered@4']);
  });

  it('reports swapped global positions as reordered where the log goes backwards', () => {
    expect(kindsAt(verifyStreamChain(swapPositions(chain(6), 1)))).toEqual(['reordered@2']);
  });

  it('reports an event replaced with a recomputed hash at the successor whose link breaks', () => {
    const events = chain(5);
    const target = events[2];
    if (target === undefined) throw new Error('five events expected');
    events[2] = forge(2, target.metadata.prevHash, target.position, 'replacement');
    expect(kindsAt(verifyStreamChain(events))).toEqual(['prev_hash_mismatch@3']);
  });

  it('cannot see the newest event deleted: truncation needs a sealed checkpoint', () => {
    expect(verifyStreamChain(chain(5).slice(0, 4))).toEqual([]);
  });

  it('refuses events of two streams in one call', () => {
    const [first, second] = chain(2);
    if (first === undefined || second === undefined) throw new Error('two events expected');
    expect(() => verifyStreamChain([first, { ...second, streamId: 'applicant-other' }])).toThrow(
      /applicant-other/,
    );
  });

  it('names exactly the tampered revision for any single tampering of any chain (property)', () => {
    const tamperings = [
      {
        name: 'edit',
        apply: editData,
        expected: (at: number) => `hash_mismatch@${at}`,
        lastAllowed: true,
      },
      {
        name: 'delete',
        apply: remove,
        expected: (at: number) => `revision_gap@${at}`,
        lastAllowed: false,
      },
      {
        name: 'insert',
        apply: insert,
        expected: (at: number) => `inserted@${at}`,
        lastAllowed: true,
      },
      {
        name: 'swap',
        apply: swapContents,
        expected: (at: number) => `reordered@${at}`,
        lastAllowed: false,
      },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }),
        fc.nat(),
        fc.nat({ max: tamperings.length - 1 }),
        (length, seed, which) => {
          const tampering = tamperings[which];
          if (tampering === undefined) throw new Error('tampering index out of range');
          // Deleting or swapping the last event needs a successor; inserting at `length` would be an append.
          const at = seed % (tampering.lastAllowed ? length : length - 1);
          expect(kindsAt(verifyStreamChain(tampering.apply(chain(length), at)))).toEqual([
            tampering.expected(at),
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
