/**
 * One measured whole-ledger job in a process of its own, so that its peak memory (maxRSS) is the job's,
 * not the demo generator's nor another job's (issue 13):
 *
 *   node -r @swc-node/register test/bench/replay-worker.ts <dataDir> <mode>
 *
 * mode: ceiling | replay | rebuild | verify | seal | export. Prints one JSON line.
 *   ceiling  better-sqlite3 iterate() over `events` in position order + JSON.parse of data and metadata,
 *            one thread: the rate every other job is compared with (issue 13's "ceiling").
 *   replay   the auditor's replay: every read model into a scratch store (`ledger replay`).
 *   rebuild  the projector's rebuild: a new generation of a fresh read store, activated at the end.
 *   verify   every check `ledger verify` runs (decisions recomputed), no live read store, on
 *            BENCH_VERIFY_WORKERS threads (default: the machine's cores; the row says `verify ×N`).
 *   seal     the Merkle root of every event hash, signed (`ledger seal`).
 *   export   the finance workbook as of now, written as xlsx (`ledger export --format xlsx`).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { openSqliteEventStore, type EventStore } from '@hz/event-store';
import { PROJECTION_SCHEMA_VERSION, ProjectionRunner, SqliteReadStore } from '@hz/projections';
import {
  checkVerifyWorkers,
  defaultVerifyWorkers,
  exportLedger,
  replayIntoScratch,
  runLedgerVerification,
  sealLog,
  writeWorkbookXlsx,
} from '@hz/audit';

export const REPLAY_BENCH_MODES = [
  'ceiling',
  'replay',
  'rebuild',
  'verify',
  'seal',
  'export',
] as const;
export type ReplayBenchMode = (typeof REPLAY_BENCH_MODES)[number];

/** Issue 13's ceiling: iterate() over `events` in position order + JSON.parse of data and metadata. */
export function ceiling(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    let events = 0;
    const rows = db
      .prepare(
        'SELECT position, stream_id, revision, event_id, type, data, metadata FROM events ORDER BY position',
      )
      .iterate() as IterableIterator<{ data: string; metadata: string }>;
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      events += 1;
    }
    return events;
  } finally {
    db.close();
  }
}

async function rebuild(store: EventStore): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
  const readStore = new SqliteReadStore(join(directory, 'read-models.db'), { synchronous: 'OFF' });
  try {
    const { generation } = await readStore.createGeneration(PROJECTION_SCHEMA_VERSION);
    const runner = new ProjectionRunner(store, readStore, generation, { batchSize: 5000 });
    const checkpoint = await runner.catchUp();
    await readStore.activate(generation, checkpoint.position);
    return runner.stats.events;
  } finally {
    await readStore.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function exportXlsx(store: EventStore): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-export-'));
  try {
    const now = new Date();
    // The CLI's path: rows spilled to a scratch file and written as they are read back (issue 13).
    return await exportLedger(store, { asOf: now, now }, async (workbook) => {
      const file = createWriteStream(join(directory, 'export.xlsx'));
      await writeWorkbookXlsx(workbook, file);
      await finished(file);
      return workbook.eventCount;
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function run(dataDir: string, mode: ReplayBenchMode): Promise<number> {
  const file = join(dataDir, 'ledger.db');
  if (mode === 'ceiling') return ceiling(file);
  const store = await openSqliteEventStore({ file });
  try {
    switch (mode) {
      case 'replay': {
        const replay = await replayIntoScratch(store);
        await replay.dispose();
        return replay.events;
      }
      case 'rebuild':
        return await rebuild(store);
      case 'verify': {
        // Every check the CLI runs (with decisions recomputed by the policy engine), no live read store.
        // BENCH_VERIFY_WORKERS threads (default: the machine's cores, as `ledger verify`).
        const workers = verifyWorkers();
        const report = await runLedgerVerification(
          { eventStore: store, liveReadStore: undefined },
          { workers },
        );
        if (!report.ok) throw new Error(`verify found ${report.findingsTotal} violation(s)`);
        return report.eventCount;
      }
      case 'seal': {
        const { privateKey } = generateKeyPairSync('ed25519');
        const checkpoint = await sealLog(store, { privateKey, now: new Date() });
        return checkpoint.eventCount;
      }
      case 'export':
        return await exportXlsx(store);
    }
  } finally {
    await store.close();
  }
}

function verifyWorkers(): number {
  const text = process.env['BENCH_VERIFY_WORKERS'];
  return text === undefined ? defaultVerifyWorkers() : checkVerifyWorkers(Number(text));
}

async function main(): Promise<void> {
  const [dataDir, mode = 'replay'] = process.argv.slice(2);
  if (dataDir === undefined || !(REPLAY_BENCH_MODES as readonly string[]).includes(mode))
    throw new Error(`usage: replay-worker.ts <dataDir> [${REPLAY_BENCH_MODES.join('|')}]`);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const events = await run(dataDir, mode as ReplayBenchMode);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const usage = process.resourceUsage();
  // maxRSS is in kilobytes on Linux; CPU seconds say how much of the wall time was this job's.
  process.stdout.write(
    `${JSON.stringify({
      mode: mode === 'verify' ? `verify ×${verifyWorkers()}` : mode,
      events,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(events / seconds),
      // The job's own CPU time (module loading excluded): the rate that other load on the machine
      // does not change much, unlike the wall-clock rate.
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      eventsPerCpuSecond: Math.round(events / ((cpu.user + cpu.system) / 1e6)),
      peakRssMb: Math.round(usage.maxRSS / 1024),
    })}\n`,
  );
}

if (require.main === module)
  void main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
