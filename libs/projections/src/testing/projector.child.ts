/**
 * Child process for the crash test: the projector as apps/projector runs it (supervisor, SQLite stores
 * from the data dir given as the first argument), printing its checkpoint after each batch so the parent can kill it mid-way.
 */
import { writeSync } from 'node:fs';
import { openSqliteEventStore } from '@hz/event-store';
import { readSideConfigFromEnv } from '../config';
import { openReadStore } from '../open-read-store';
import { ProjectionSupervisor } from '../runner/projection-supervisor';

async function main(dataDir: string, batchSize: number): Promise<void> {
  const config = readSideConfigFromEnv({ ...process.env, LEDGER_DATA_DIR: dataDir });
  const events = await openSqliteEventStore({ file: config.eventStoreFile, synchronous: 'NORMAL' });
  const reads = await openReadStore(config);
  const supervisor = new ProjectionSupervisor(events, reads, {
    batchSize,
    log: (message) => process.stdout.write(`log ${message}\n`),
    // Synchronous writes: the line is out before the next batch starts, so the parent's view is never ahead.
    onCommit: (checkpoint) => writeSync(1, `at ${checkpoint.position}\n`),
  });
  writeSync(1, 'ready\n');
  await supervisor.start();
}

main(process.argv[2] ?? './data', Number(process.argv[3] ?? '200')).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
