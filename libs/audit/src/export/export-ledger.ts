/**
 * The export operation shared by `ledger export` and GET /audit/export: the read models rebuilt as of the
 * requested ledger time with the projections' runner, plus the facts read from the same prefix of the log.
 */
import type { EventStore } from '@hz/event-store';
import { fiscalReport, type ClaimSummary } from '@hz/projections';
import { scanLog } from '../log/scan-log';
import { BoundedLog } from '../replay/bounded-log';
import { allClaims } from '../replay/read-model-summary';
import { replayIntoScratch } from '../replay/scratch-replay';
import { buildWorkbook } from './build-workbook';
import { collectFacts, emptyFactRows } from './fact-rows';
import type { ExportWorkbook } from './workbook';

export interface ExportRequest {
  /** Ledger time: the export shows what the ledger knew then. */
  readonly asOf: Date;
  /** When the export is made (the notes sheet says so). */
  readonly now: Date;
}

export async function buildLedgerExport(eventStore: EventStore, request: ExportRequest): Promise<ExportWorkbook> {
  const asOfMs = request.asOf.getTime();
  const replay = await replayIntoScratch(eventStore, { asOfMs });
  try {
    const facts = emptyFactRows();
    // The same bound as the replay, so facts and projections describe the same prefix of the log.
    await scanLog(new BoundedLog(eventStore, { untilPosition: replay.position }), (event) => collectFacts(facts, event));
    const claims: ClaimSummary[] = [];
    for await (const claim of allClaims(replay.readStore)) claims.push(claim);
    const buckets = await replay.readStore.fiscalBuckets({});
    const obligations = fiscalReport(buckets, { period: 'month' });
    return buildWorkbook({ asOf: request.asOf.toISOString(), generatedAt: request.now.toISOString(), headPosition: replay.position.toString(), claims, obligations, facts });
  } finally {
    await replay.dispose();
  }
}
