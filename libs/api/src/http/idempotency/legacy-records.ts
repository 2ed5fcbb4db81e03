/**
 * The idempotency records of the layout before issue 12, imported once into the ledger store's records
 * (docs/architecture.md §4, "Records left by the earlier layout"). Before one commit per command, every
 * request was a stream `idempotency-{sha256(actor, key)}` in an event store of its own (`idempotency.db`
 * beside the embedded log, or schema `idempotency` in PostgreSQL): `IdempotencyKeyReserved`
 * `{ fingerprint }`, then `IdempotentResponseRecorded` `{ fingerprint, status, body }`. The stream id is
 * today's record key (idempotencyRecordKey) and the response's data is today's record value, so the import
 * copies them as they are; a retry across the upgrade replays exactly what the earlier version answered.
 *
 * A reservation without a response (the earlier version died while executing) is not imported: a record
 * without an answer cannot be replayed, and the retry executes again, which the ledger recognises by its
 * events' deterministic ids (crash-recovery.e2e.spec.ts), as the earlier version did.
 *
 * The old store is only read (the caller opens it read-only, and only if it exists). The import is
 * idempotent: a record already there is left alone (records are written once), and a marker record
 * `legacy-idempotency-import` says it is done, so later starts skip it; replicas starting together write
 * the same records, the first marker wins.
 */
import { RecordConflict, type JsonObject, type RecordStore } from '@hz/event-store';
import { IDEMPOTENCY_RECORD_PREFIX } from './idempotency.service';

export const LEGACY_RESPONSE_TYPE = 'IdempotentResponseRecorded';
export const LEGACY_IMPORT_MARKER_KEY = 'legacy-idempotency-import';
/** Records written at once: under group commit they share a few batches instead of one fsync each. */
const IMPORT_CHUNK = 128;

/** One response event of the earlier layout, as stored. */
export interface LegacyResponseRow {
  readonly streamId: string;
  readonly data: JsonObject;
}

/** The earlier layout's store, opened read-only by the app (apps/ledger-api/src/stores.ts). */
export interface LegacyIdempotencySource {
  /** Where it lives (a file or a schema; never a password), for the marker and the start-up log. */
  readonly location: string;
  /** Every `IdempotentResponseRecorded` of an `idempotency-*` stream, in position order. */
  responses(): Promise<LegacyResponseRow[]>;
  close(): Promise<void>;
}

export interface LegacyImport {
  readonly location: string;
  /** False when the marker said an earlier start had imported them already. */
  readonly ran: boolean;
  readonly imported: number;
  /** Already in the records (an interrupted import, or another replica importing at the same time). */
  readonly present: number;
}

export async function importLegacyIdempotencyRecords(
  source: LegacyIdempotencySource,
  records: RecordStore,
): Promise<LegacyImport> {
  const { location } = source;
  if ((await records.read(LEGACY_IMPORT_MARKER_KEY)) !== undefined)
    return { location, ran: false, imported: 0, present: 0 };
  const rows = await source.responses();
  let imported = 0;
  let present = 0;
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
    const outcomes = await Promise.all(
      rows.slice(start, start + IMPORT_CHUNK).map((row) => importOne(row, records)),
    );
    for (const outcome of outcomes) {
      if (outcome === 'imported') imported += 1;
      else present += 1;
    }
  }
  await writeOnce(records, LEGACY_IMPORT_MARKER_KEY, { location, records: rows.length });
  return { location, ran: true, imported, present };
}

async function importOne(
  row: LegacyResponseRow,
  records: RecordStore,
): Promise<'imported' | 'present'> {
  const value = recordValueOf(row);
  if ((await records.read(row.streamId)) !== undefined) return 'present';
  return (await writeOnce(records, row.streamId, value)) ? 'imported' : 'present';
}

/** The earlier response event's data is today's record value: checked, then copied field by field. */
function recordValueOf(row: LegacyResponseRow): JsonObject {
  const { fingerprint, status, body } = row.data;
  if (
    !row.streamId.startsWith(IDEMPOTENCY_RECORD_PREFIX) ||
    typeof fingerprint !== 'string' ||
    typeof status !== 'number' ||
    typeof body !== 'object' ||
    body === null
  )
    throw new Error(`idempotency stream ${row.streamId}: not a recorded response of the layout`);
  return { fingerprint, status, body };
}

/** False when the key was written first by someone else (records are written once). */
async function writeOnce(records: RecordStore, key: string, value: JsonObject): Promise<boolean> {
  try {
    await records.write({ key, value });
    return true;
  } catch (error) {
    if (error instanceof RecordConflict) return false;
    throw error;
  }
}
