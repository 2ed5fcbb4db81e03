/**
 * An append on EventStoreDB. There is no multi-statement transaction, so the hash chain rests on the
 * expected revision: we read the stream's tail (its head gives revision and prevHash), seal the events,
 * and append with the exact revision we read (or NO_STREAM), whatever the caller expected. If another
 * writer got in between, EventStoreDB refuses; we then start over, at most APPEND_ATTEMPTS_MAX times,
 * and the caller's own expectation decides on the next round (WrongExpectedVersion, a replay, or a
 * fresh append for 'any'/'stream_exists').
 *
 * Idempotency: EventStoreDB has no index by event id, so a replay is recognised when its ids are among
 * the stream's last REPLAY_WINDOW events or sit right after the revision the retry expected (where a
 * retry of a decided command finds them). The same id in another stream is not detected here.
 *
 * Conditions on other streams (AppendOptions.conditions, issue 12) are read and checked right before
 * the append, NOT atomically with it: EventStoreDB has no multi-stream transaction, so another writer
 * may move a condition stream between our read and our append (a window of one round trip). A caller
 * that needs the guarantee must run on SQLite or PostgreSQL (docs/architecture.md §4).
 */
import { NO_STREAM } from '@eventstore/db-client';
import { checkConditions, checkExpectedRevision } from '../append-guards';
import { GENESIS_PREV_HASH } from '../hash-chain';
import type {
  AppendCondition,
  AppendResult,
  Clock,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../port';
import { findReplay, sealEvents, type StoredIdentity } from '../postgres/sealed-events';
import { canonicalJson } from '@hz/kernel';
import { readStreamOrEmpty, type EsdbClient } from './esdb-reads';
import { isWrongExpectedVersion, toEsdbEvent } from './mapping';

export const REPLAY_WINDOW = 64;
const APPEND_ATTEMPTS_MAX = 5;

export async function appendToEsdb(
  client: EsdbClient,
  clock: Clock,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  conditions: readonly AppendCondition[] = [],
): Promise<AppendResult> {
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS_MAX; attempt += 1) {
    const tail = await readStreamOrEmpty(client, streamId, {
      direction: 'backwards',
      fromRevision: 'end',
      maxCount: REPLAY_WINDOW,
    });
    const head = tail[0];
    const replayed = findReplay(
      streamId,
      events,
      await storedIdentities(client, streamId, events, expected, tail),
    );
    if (replayed !== undefined) return replayed;
    checkExpectedRevision(streamId, expected, head?.revision);
    const conditionHeads = new Map<string, bigint | undefined>();
    for (const condition of conditions) {
      const [last] = await readStreamOrEmpty(client, condition.streamId, {
        direction: 'backwards',
        fromRevision: 'end',
        maxCount: 1,
      });
      conditionHeads.set(condition.streamId, last?.revision);
    }
    checkConditions(conditions, (other) =>
      other === streamId ? head?.revision : conditionHeads.get(other),
    );
    if (events.length === 0)
      return { nextRevision: head?.revision ?? -1n, position: head?.position ?? 0n };
    const prevHash = head === undefined ? GENESIS_PREV_HASH : headHash(head);
    const sealed = sealEvents(
      streamId,
      { revision: head?.revision, hash: prevHash },
      clock.now().toISOString(),
      events,
    );
    try {
      await client.appendToStream(streamId, sealed.map(toEsdbEvent), {
        expectedRevision: head?.revision ?? NO_STREAM,
      });
    } catch (error) {
      if (isWrongExpectedVersion(error)) continue;
      throw error;
    }
    const lastRevision = sealed[sealed.length - 1]?.revision ?? 0n;
    return {
      nextRevision: lastRevision,
      position: await positionOf(client, streamId, lastRevision),
    };
  }
  throw new Error(
    `append to ${streamId}: other writers moved the stream ${APPEND_ATTEMPTS_MAX} times in a row`,
  );
}

function headHash(head: RecordedEvent): string {
  const hash: unknown = head.metadata.hash;
  if (typeof hash !== 'string')
    throw new Error(
      `stream ${head.streamId} head (revision ${head.revision}) has no hash; run the chain verifier`,
    );
  return hash;
}

/** What the store holds for the call's ids: the tail, plus the events right after the revision a retry expected. */
async function storedIdentities(
  client: EsdbClient,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  tail: readonly RecordedEvent[],
): Promise<Map<string, StoredIdentity>> {
  const ids = new Set(events.map((event) => event.id));
  const candidates = [...tail];
  const oldest = tail[tail.length - 1];
  const firstOfRetry =
    expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
  if (
    events.length > 0 &&
    firstOfRetry !== undefined &&
    oldest !== undefined &&
    firstOfRetry < oldest.revision
  ) {
    candidates.push(
      ...(await readStreamOrEmpty(client, streamId, {
        fromRevision: firstOfRetry,
        maxCount: events.length,
      })),
    );
  }
  const stored = new Map<string, StoredIdentity>();
  for (const event of candidates) {
    if (!ids.has(event.id)) continue;
    stored.set(event.id, {
      streamId: event.streamId,
      type: event.type,
      dataJson: canonicalJson(event.data),
      revision: event.revision,
      position: event.position,
    });
  }
  return stored;
}

/** The $all position of the event just written (read back: the append result's position is the write's, not per event). */
async function positionOf(client: EsdbClient, streamId: string, revision: bigint): Promise<bigint> {
  const [event] = await readStreamOrEmpty(client, streamId, {
    fromRevision: revision,
    maxCount: 1,
  });
  if (event === undefined || event.revision !== revision)
    throw new Error(`stream ${streamId}: revision ${revision} not found right after appending it`);
  return event.position;
}
