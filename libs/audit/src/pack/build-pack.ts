/**
 * The signed audit pack of a closed period (issue 18 part 4; docs/operations.md "Period close"): what an
 * auditor takes away when the books of a fiscal year close, rebuilt byte for byte from the same ledger.
 *
 * Files: `events.jsonl` (every event up to the pack's position whose business time falls in the period, and
 * the period stream's own events, one canonical JSON line each), `adjustments.jsonl` (post-close
 * adjustments, reported apart), `ledger.xlsx` (the finance workbook as of the close), `obligations.json`
 * (its summary and monthly obligations), `checkpoint.json` (the existing seal: Merkle root of the log up to
 * the pack's position, Ed25519-signed), and `manifest.json` (SHA-256 and size of every other file).
 * Nothing depends on the clock: times come from the PeriodClosed event, zip dates are pinned
 * (zip-dates.ts) and Ed25519 signatures are deterministic.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { businessMonthOf } from '@hz/kernel';
import type { EventStore, RecordedEvent } from '@hz/event-store';
import { periodStreamId } from '@hz/ledger';
import { eventLineOf } from '../log/event-lines';
import { scanLog } from '../log/scan-log';
import { BoundedLog } from '../replay/bounded-log';
import { sealLog } from '../seal/seal-log';
import { buildLedgerExport } from '../export/export-ledger';
import { workbookToXlsx } from '../export/xlsx-writer';
import { withFixedZipDates } from './zip-dates';

export const PACK_FORMAT = 'hz-ledger-audit-pack/v1';
export const PACK_MANIFEST = 'manifest.json';

export class AuditPackError extends Error {
  constructor(
    readonly code: 'PERIOD.NOT_CLOSED' | 'PACK.INVALID',
    message: string,
  ) {
    super(message);
  }
}

export interface PackManifest {
  readonly format: typeof PACK_FORMAT;
  readonly period: string;
  /** The last log position the pack covers (the PeriodClosed event's unless asked otherwise). */
  readonly untilPosition: string;
  /** Ledger time of the close: the workbook's as-of and the seal's time. */
  readonly closedAt: string;
  readonly files: readonly {
    readonly name: string;
    readonly sha256: string;
    readonly bytes: number;
  }[];
}

export interface AuditPack {
  /** File name → bytes, in the order written; the manifest last. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly manifest: PackManifest;
}

export interface PackRequest {
  readonly period: string;
  readonly privateKey: KeyObject;
  /** Defaults to the position of the period's last PeriodClosed event. */
  readonly untilPosition?: bigint;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The period's last close: its position and ledger time. */
export async function lastCloseOf(
  store: EventStore,
  period: string,
): Promise<{ position: bigint; closedAt: string }> {
  let close: RecordedEvent | undefined;
  try {
    for (const event of await store.readStream(periodStreamId(period)))
      if (event.type === 'PeriodClosed') close = event;
  } catch {
    close = undefined;
  }
  if (close === undefined)
    throw new AuditPackError('PERIOD.NOT_CLOSED', `period ${period} has not been closed`);
  return { position: close.position, closedAt: close.metadata.recordedAt };
}

function inPeriod(event: RecordedEvent, period: string): boolean {
  if (event.streamId === periodStreamId(period)) return true;
  try {
    return businessMonthOf(event.metadata.occurredAt).startsWith(`${period}-`);
  } catch {
    return false;
  }
}

export async function buildAuditPack(store: EventStore, request: PackRequest): Promise<AuditPack> {
  const close = await lastCloseOf(store, request.period);
  const untilPosition = request.untilPosition ?? close.position;
  const bounded = new BoundedLog(store, { untilPosition });
  const events: string[] = [];
  const adjustments: string[] = [];
  await scanLog(bounded, (event) => {
    if (!inPeriod(event, request.period)) return;
    events.push(eventLineOf(event));
    if (event.type === 'PostCloseAdjustmentRecorded') adjustments.push(eventLineOf(event));
  });
  const checkpoint = await sealLog(bounded, {
    privateKey: request.privateKey,
    now: new Date(close.closedAt),
  });
  const workbook = await buildLedgerExport(store, {
    asOf: new Date(close.closedAt),
    now: new Date(close.closedAt),
  });
  const obligations = workbook.sheets
    .filter((sheet) => sheet.id === 'summary' || sheet.id === 'monthly')
    .map((sheet) => ({ id: sheet.id, title: sheet.title, rows: sheet.rows, totals: sheet.totals }));
  const text = (value: string) => Buffer.from(value, 'utf8');
  const jsonLines = (lines: readonly string[]) => text(lines.map((line) => `${line}\n`).join(''));
  const files = new Map<string, Buffer>([
    ['events.jsonl', jsonLines(events)],
    ['adjustments.jsonl', jsonLines(adjustments)],
    ['ledger.xlsx', withFixedZipDates(await workbookToXlsx(workbook))],
    ['obligations.json', text(`${JSON.stringify(obligations, null, 2)}\n`)],
    ['checkpoint.json', text(`${JSON.stringify(checkpoint, null, 2)}\n`)],
  ]);
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    period: request.period,
    untilPosition: untilPosition.toString(),
    closedAt: close.closedAt,
    files: [...files].map(([name, bytes]) => ({
      name,
      sha256: sha256(bytes),
      bytes: bytes.length,
    })),
  };
  files.set(PACK_MANIFEST, text(`${JSON.stringify(manifest, null, 2)}\n`));
  return { files, manifest };
}

export { sha256 as sha256OfBytes };
