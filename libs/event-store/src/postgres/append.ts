/**
 * The body of one PostgreSQL append, run inside a READ COMMITTED transaction that the caller opened and
 * commits. Why the global order is safe for readers:
 *
 * A sequence hands out positions in call order, but transactions commit in any order, so a reader that
 * trusted positions alone could deliver position 7 while position 5 is still uncommitted and then skip
 * 5 forever. We make two orders coincide instead of waiting on a timer:
 *
 * 1. The transaction id (xid) and the positions of an append are both taken inside one short global
 *    section, serialised by a session-level advisory lock: nothing before it writes (so no xid exists
 *    yet, which is asserted), and the INSERT assigns xid and positions together. Hence among appending
 *    transactions, xid order = position order.
 * 2. Readers only return rows whose `tx_id < pg_snapshot_xmin(pg_current_snapshot())` (restricted to
 *    this database, see ./reads.ts): every older transaction has finished. If a reader returns position
 *    p (xid x), every smaller position belongs to an xid < x < xmin, so it is committed and visible
 *    too, or rolled back for good.
 *
 * So a late commit delays readers (they stop at the open transaction) but is never skipped, and no
 * reader ever sees a smaller position after a larger one. The global section is one statement
 * (./append-sql.ts): the lock is held while the server inserts, never across a network round trip or
 * the commit, so appends still commit (and fsync) concurrently. A session-level lock is not released
 * by ROLLBACK, so every exit path unlocks, and a connection whose unlock failed is destroyed.
 */
import type { ClientBase } from 'pg';
import { checkExpectedRevision } from '../append-guards';
import { WrongExpectedVersion } from '../errors';
import { GENESIS_PREV_HASH } from '../hash-chain';
import type { AppendResult, Clock, ExpectedRevision, NewEvent } from '../port';
import { globalLockKey, readAppendState, readStreamHead, writeInGlobalSection } from './append-sql';
import type { SchemaNames } from './schema';
import { findReplay, sealEvents } from './sealed-events';

export interface AppendContext {
  readonly names: SchemaNames;
  readonly clock: Clock;
  /** pg_notify inside the transaction (atomic with the commit); false when the store announces after commit. */
  readonly notifyInTransaction?: boolean;
}

export interface AppendOutcome {
  readonly result: AppendResult;
  /** False for an empty call or an idempotent replay: nothing was written. */
  readonly appended: boolean;
}

/**
 * Appends on `client` inside an open transaction that has not written yet; the caller commits. When the
 * global section fails, the transaction is rolled back here (to release the session lock) and the
 * error rethrown.
 */
export async function appendWithinTransaction(
  client: ClientBase,
  context: AppendContext,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendOutcome> {
  const { names } = context;
  // Serialises appends to one stream without a row lock: a row lock would assign the xid before the
  // global section. It must be its own statement: a statement's snapshot predates its lock wait.
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `${names.schema}/${streamId}`,
  ]);
  const { stored, head } = await readAppendState(
    client,
    names,
    streamId,
    events.map((event) => event.id),
  );
  const replayed = findReplay(streamId, events, stored);
  if (replayed !== undefined) return { result: replayed, appended: false };
  checkExpectedRevision(streamId, expected, head?.revision);
  if (events.length === 0) {
    return {
      result: { nextRevision: head?.revision ?? -1n, position: head?.position ?? 0n },
      appended: false,
    };
  }
  const recordedAt = context.clock.now().toISOString();
  const sealed = sealEvents(
    streamId,
    { revision: head?.revision, hash: head?.hash ?? GENESIS_PREV_HASH },
    recordedAt,
    events,
  );
  const outcome = await writeOrRelease(client, names, () =>
    writeInGlobalSection(
      client,
      names,
      streamId,
      sealed,
      head?.revision,
      context.notifyInTransaction ?? true,
    ),
  );
  // The ordering argument above needs the xid to be born inside the global section.
  if (outcome.xidBefore !== null)
    throw new Error(
      `append transaction already had xid ${outcome.xidBefore}: it must not write before appending`,
    );
  if (!outcome.unlocked) throw new Error('the global append lock was not held at unlock');
  if (outcome.inserted !== sealed.length || outcome.lastPosition === undefined)
    throw new Error(`inserted ${outcome.inserted} of ${sealed.length} events`);
  // The per-stream lock excludes concurrent writers; this compare-and-set is the backstop should anything bypass it.
  if (outcome.moved !== 1)
    throw new WrongExpectedVersion(
      streamId,
      expected,
      (await readStreamHead(client, names, streamId))?.revision ?? 'no_stream',
    );
  const last = sealed[sealed.length - 1];
  return {
    result: { nextRevision: last?.revision ?? -1n, position: outcome.lastPosition },
    appended: true,
  };
}

/** Runs the global-section statement; if it fails, rolls back and releases the session-level lock it may hold. */
async function writeOrRelease<T>(
  client: ClientBase,
  names: SchemaNames,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    // An aborted transaction accepts no statement but ROLLBACK, and ROLLBACK keeps session locks.
    await client.query('ROLLBACK');
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', globalLockKey(names));
    throw error;
  }
}

export { readStreamHead } from './append-sql';
