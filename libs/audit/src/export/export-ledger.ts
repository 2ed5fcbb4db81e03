/**
 * The export operation shared by `ledger export` and GET /audit/export: the read models rebuilt as of the
 * requested ledger time with the projections' runner, plus the facts read from the same prefix of the log.
 * When a signed checkpoint covers part of that prefix, the same read checks that the log still hashes to
 * its Merkle root, and the workbook names the root (docs/decisions.md, "Finance workbook"). Facts and seal
 * checks ride the replay's own reads (replayIntoScratch onEvent): the log is read once (issue 13).
 *
 * Streamed (issue 13, docs/benchmarks.md "Export, streamed"): the replay keeps at most
 * EXPORT_APPLICANTS_CACHED applicants in memory, the fact rows are spilled to a scratch file as the replay
 * reads them and the claim rows as they are paged out of the scratch read store, and the writers read
 * them back sheet by sheet. `exportLedger` hands the streamed workbook to its caller's writer and deletes
 * the scratch file after; `buildLedgerExport` gives the workbook with its rows in memory (small ledgers,
 * the audit pack, one-sheet HTTP answers).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@hz/event-store';
import { allClaims, fiscalReport } from '@hz/projections';
import { replayIntoScratch } from '../replay/scratch-replay';
import { CHECKPOINT_FORMAT, type Checkpoint } from '../seal/checkpoint';
import { CheckpointCheck, leafHashOf } from '../seal/seal-log';
import { buildWorkbook, claimRow } from './build-workbook';
import { collectFacts, spilledFactRows } from './fact-rows';
import { RowSpill } from './row-spill';
import type { ExportSeal, ExportWorkbook, Row } from './workbook';

/**
 * Applicants the export's replay keeps in memory between batches (the runner's default is 50,000: every
 * applicant of the 1M-event demo). Measured in docs/benchmarks.md "Export, streamed".
 */
export const EXPORT_APPLICANTS_CACHED = 1000;

export interface ExportProgress {
  readonly phase: 'replay' | 'facts';
  readonly position: bigint;
  readonly untilPosition: bigint;
  readonly eventCount: number;
  /** Events done / total for a job's progress (issue 13); one phase now that facts ride the replay. */
  readonly done: number;
  readonly total: number;
}

export interface ExportRequest {
  /** Ledger time: the export shows what the ledger knew then. */
  readonly asOf: Date;
  /** When the export is made (the notes sheet says so). */
  readonly now: Date;
  /** One more sheet per funder. */
  readonly byFunder?: boolean;
  /** Signed checkpoints on hand (e.g. `<dataDir>/checkpoints`); the newest one within the export is checked and named. */
  readonly checkpoints?: readonly Checkpoint[];
  readonly onProgress?: (progress: ExportProgress) => void;
  /** Aborts between pages: the export rejects with `signal.reason` and deletes its scratch store. */
  readonly signal?: AbortSignal;
}

/** The workbook with every sheet's rows in memory (arrays): for small ledgers, the pack and tests. */
export async function buildLedgerExport(
  eventStore: EventStore,
  request: ExportRequest,
): Promise<ExportWorkbook> {
  return exportLedger(eventStore, request, (workbook) => ({
    ...workbook,
    sheets: workbook.sheets.map((sheet) => ({ ...sheet, rows: [...sheet.rows] })),
  }));
}

/**
 * Builds the streamed workbook and hands it to `write` (an xlsx or csv writer): its rows are read from the
 * scratch file while `write` runs, and the file is deleted when `write` settles. The workbook must not be
 * read after that.
 */
export async function exportLedger<T>(
  eventStore: EventStore,
  request: ExportRequest,
  write: (workbook: ExportWorkbook) => Promise<T> | T,
): Promise<T> {
  const spill = new RowSpill();
  try {
    return await write(await streamedWorkbook(eventStore, request, spill));
  } finally {
    spill.close();
  }
}

async function streamedWorkbook(
  eventStore: EventStore,
  request: ExportRequest,
  spill: RowSpill,
): Promise<ExportWorkbook> {
  const asOfMs = request.asOf.getTime();
  const head = await eventStore.headPosition();
  const estimate = Number(head);
  const facts = spilledFactRows(spill);
  // Every checkpoint that may fall within the export is checked as the replay reads (a Merkle stack each);
  // the newest one within the position the replay stops at is the one named.
  const candidates = (request.checkpoints ?? []).filter(
    (checkpoint) => /^[0-9]+$/.test(checkpoint.position) && BigInt(checkpoint.position) <= head,
  );
  const sealChecks = new Map(
    candidates.map((checkpoint) => [checkpoint, new CheckpointCheck(checkpoint)]),
  );
  let eventCount = 0;
  // Facts come from the events the replay reads, so facts and projections describe the same prefix.
  const replay = await replayIntoScratch(eventStore, {
    asOfMs,
    signal: request.signal,
    applicantsCachedMax: EXPORT_APPLICANTS_CACHED,
    onEvent: (event) => {
      eventCount += 1;
      collectFacts(facts, event);
      if (sealChecks.size === 0) return;
      const hash = leafHashOf(event);
      for (const check of sealChecks.values()) check.visit(event, hash);
    },
    onProgress: (position, events) =>
      request.onProgress?.({
        phase: 'replay',
        position,
        untilPosition: head,
        eventCount: events,
        done: events,
        total: Math.max(estimate, events),
      }),
  });
  // The as-of bound may stop the replay before the head: the last report says the whole export is read.
  request.onProgress?.({
    phase: 'replay',
    position: replay.position,
    untilPosition: replay.position,
    eventCount: replay.events,
    done: replay.events,
    total: replay.events,
  });
  try {
    const checkpoint = newestWithin(candidates, replay.position);
    const sealCheck = checkpoint ? sealChecks.get(checkpoint) : undefined;
    // The claims leave the scratch read store page by page into the spill, which outlives the store.
    const claimRows = spill.list<Row>();
    for await (const claim of allClaims(replay.readStore)) claimRows.push(claimRow(claim));
    const buckets = await replay.readStore.fiscalBuckets({});
    const obligations = fiscalReport(buckets, { period: 'month' });
    return buildWorkbook({
      asOf: request.asOf.toISOString(),
      generatedAt: request.now.toISOString(),
      headPosition: replay.position.toString(),
      eventCount,
      seal: checkpoint && sealCheck ? sealOf(checkpoint, sealCheck) : null,
      claimRows,
      obligations,
      facts,
      byFunder: request.byFunder,
    });
  } finally {
    await replay.dispose();
  }
}

function newestWithin(
  checkpoints: readonly Checkpoint[],
  position: bigint,
): Checkpoint | undefined {
  let newest: Checkpoint | undefined;
  for (const checkpoint of checkpoints) {
    if (!/^[0-9]+$/.test(checkpoint.position) || BigInt(checkpoint.position) > position) continue;
    if (newest === undefined || BigInt(checkpoint.position) > BigInt(newest.position))
      newest = checkpoint;
  }
  return newest;
}

function sealOf(checkpoint: Checkpoint, check: CheckpointCheck): ExportSeal {
  const problems = check.findings().map((finding) => `${finding.code}: ${finding.message}`);
  return {
    position: checkpoint.position,
    eventCount: checkpoint.eventCount,
    merkleRoot: checkpoint.merkleRoot,
    keyId: checkpoint.keyId,
    sealedAt: checkpoint.sealedAt,
    verified: problems.length === 0,
    problems,
  };
}

/**
 * The checkpoints `ledger seal` and POST /audit/checkpoints leave in `<dataDir>/checkpoints`; files that are
 * not checkpoints are skipped. The export checks the one it uses against the log, so a file here is a claim,
 * not a proof.
 */
export function readCheckpointFiles(directory: string): Checkpoint[] {
  if (!existsSync(directory)) return [];
  const checkpoints: Checkpoint[] = [];
  for (const name of readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    try {
      const parsed = JSON.parse(readFileSync(join(directory, name), 'utf8')) as Partial<Checkpoint>;
      if (
        parsed.format === CHECKPOINT_FORMAT &&
        typeof parsed.position === 'string' &&
        typeof parsed.merkleRoot === 'string'
      )
        checkpoints.push(parsed as Checkpoint);
    } catch {
      // Not JSON: not a checkpoint.
    }
  }
  return checkpoints;
}
