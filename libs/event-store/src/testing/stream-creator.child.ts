/**
 * Child process for the contract's cross-process read snapshot case. Opens the store named by the
 * ChildStoreSpec in argv[2], says {"ready":true}, then for one command line appends the first batch of
 * three events to each listed stream in turn, spinning `pauseMs` between streams, and answers
 * {"done":true,"appended":n}.
 * Run as: node -r @swc-node/register stream-creator.child.ts '<spec json>'
 */
import { serveStoreChild } from './child-store';
import { testEvents } from './fixtures';

interface CreateCommand {
  readonly streams: readonly string[];
  readonly pauseMs: number;
}

/** Spinning, not a timer: the parent spins on its reads, and both should move at the same pace. */
function spinFor(milliseconds: number): void {
  const until = Date.now() + milliseconds;
  let spins = 0;
  while (Date.now() < until && spins < 1e9) spins += 1;
}

serveStoreChild<CreateCommand>('stream creator', async (store, command) => {
  let appended = 0;
  for (const stream of command.streams) {
    spinFor(command.pauseMs);
    await store.appendToStream(stream, testEvents(stream, 3), { expectedRevision: 'no_stream' });
    appended += 1;
  }
  return { done: true, appended };
});
