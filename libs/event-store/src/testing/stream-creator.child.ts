/**
 * Child process for the contract's cross-process read snapshot case. Opens the store named by the
 * ChildStoreSpec in argv[2], says {"ready":true}, then for one command line appends the first batch of
 * three events to each listed stream in turn, spinning `pauseMs` between streams, and answers
 * {"done":true,"appended":n}.
 * Run as: node -r @swc-node/register stream-creator.child.ts '<spec json>'
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { openChildStore, parseChildSpec } from './child-store';
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

async function main(): Promise<void> {
  const spec = parseChildSpec(process.argv[2]);
  const store = await openChildStore(spec, createRequire(__filename));
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as CreateCommand;
    let appended = 0;
    for (const stream of command.streams) {
      spinFor(command.pauseMs);
      await store.appendToStream(stream, testEvents(stream, 3), { expectedRevision: 'no_stream' });
      appended += 1;
    }
    process.stdout.write(`${JSON.stringify({ done: true, appended })}\n`);
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `stream creator failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
