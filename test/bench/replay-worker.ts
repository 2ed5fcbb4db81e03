/**
 * One measured replay in a process of its own, so that its peak memory (maxRSS) is the replay's, not the
 * demo generator's: `node -r @swc-node/register test/bench/replay-worker.ts <dataDir>` prints one JSON line.
 */
import { openSqliteEventStore } from '@hz/event-store';
import { replayIntoScratch, runLedgerVerification } from '@hz/audit';
import { join } from 'node:path';

async function main(): Promise<void> {
  const [dataDir, mode = 'replay'] = process.argv.slice(2);
  if (dataDir === undefined) throw new Error('usage: replay-worker.ts <dataDir> [replay|verify]');
  const store = await openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  try {
    const started = process.hrtime.bigint();
    let events = 0;
    if (mode === 'verify') {
      // Every check the CLI runs (with decisions recomputed by the policy engine), no live read store.
      const report = await runLedgerVerification({ eventStore: store, liveReadStore: undefined });
      events = report.eventCount;
      if (!report.ok) throw new Error(`verify found ${report.findingsTotal} violation(s)`);
    } else {
      const replay = await replayIntoScratch(store);
      events = replay.events;
      await replay.dispose();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // maxRSS is in kilobytes on Linux.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `${JSON.stringify({ mode, events, seconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round(events / seconds), peakRssMb: Math.round(peakRssMb) })}\n`,
    );
  } finally {
    await store.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
