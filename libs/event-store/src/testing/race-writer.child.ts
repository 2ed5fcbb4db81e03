/**
 * Child process for the contract's two-process race. Opens the store named by the ChildStoreSpec in
 * argv[2], says {"ready":true}, then for each command line waits until the shared start instant (the
 * barrier) and appends one event with the given expected revision, answering with one JSON line.
 * Run as: node -r @swc-node/register race-writer.child.ts '<spec json>' <writer name>
 */
import { WrongExpectedVersion } from '../errors';
import type { EventStore, ExpectedRevision } from '../port';
import { serveStoreChild } from './child-store';
import { testEvent } from './fixtures';

interface RaceCommand {
  readonly round: number;
  readonly streamId: string;
  readonly expected: string;
  readonly startAt: number;
  readonly eventSeed: string;
}

/** Spinning (not a timer) so both processes leave the barrier within a fraction of a millisecond. */
function spinUntil(epochMs: number): void {
  let spins = 0;
  while (Date.now() < epochMs && spins < 1e9) spins += 1;
}

function parseExpected(text: string): ExpectedRevision {
  return text === 'no_stream' || text === 'stream_exists' || text === 'any' ? text : BigInt(text);
}

async function race(store: EventStore, command: RaceCommand): Promise<object> {
  spinUntil(command.startAt);
  try {
    const result = await store.appendToStream(command.streamId, [testEvent(command.eventSeed)], {
      expectedRevision: parseExpected(command.expected),
    });
    return {
      round: command.round,
      ok: true,
      nextRevision: String(result.nextRevision),
      position: String(result.position),
    };
  } catch (error) {
    if (error instanceof WrongExpectedVersion) {
      return {
        round: command.round,
        ok: false,
        error: error.name,
        streamId: error.streamId,
        expected: String(error.expected),
        actual: String(error.actual),
      };
    }
    return {
      round: command.round,
      ok: false,
      error: error instanceof Error ? error.name : 'unknown',
      message: String(error),
    };
  }
}

serveStoreChild<RaceCommand>('race writer', race);
