/**
 * How the parallel rebuild splits the log (issue 13, libs/projections/README.md "Parallel rebuild"): by
 * applicant stream, the ledger's consistency boundary (docs/architecture.md §4), so that every event that
 * touches an applicant's rows is projected by one worker in position order. Events of other streams
 * (allocation plans) go to partition 0; only their fiscal movements matter.
 *
 * The partition is computed by SQLite in the worker's query (no JavaScript call per row) and by
 * `partitionOf` in JavaScript for the worker's check; both are the same formula over the last two
 * characters of the stream id (an applicant's USCC ends in a serial digit and a check character).
 */
import { applicantStreamId, LEDGER_EVENT_TYPES } from '@hz/ledger';
import { CLAIM_EVENT_TYPES } from '../model/claim-summary';

const APPLICANT_STREAM_PREFIX = 'applicant-';

/** The SQL expression of a row's partition among `workers` (column `stream_id`). */
export function partitionSql(workers: number): string {
  checkWorkers(workers);
  return `CASE WHEN substr(stream_id, 1, ${APPLICANT_STREAM_PREFIX.length}) = '${APPLICANT_STREAM_PREFIX}' THEN (unicode(substr(stream_id, -1)) * 31 + unicode(substr(stream_id, -2, 1))) % ${workers} ELSE 0 END`;
}

/** The partition of a stream among `workers`, as partitionSql computes it. */
export function partitionOf(streamId: string, workers: number): number {
  checkWorkers(workers);
  if (!isApplicantStream(streamId)) return 0;
  const chars = Array.from(streamId);
  const last = chars[chars.length - 1]?.codePointAt(0) ?? 0;
  const before = chars[chars.length - 2]?.codePointAt(0) ?? 0;
  return (last * 31 + before) % workers;
}

export function applicantPartition(uscc: string, workers: number): number {
  return partitionOf(applicantStreamId(uscc), workers);
}

/** Whether a stream is an applicant's (`applicantStreamId`, @hz/ledger). */
export function isApplicantStream(streamId: string): boolean {
  return streamId.startsWith(APPLICANT_STREAM_PREFIX);
}

/** Largest worker count accepted (more threads than this only add memory on any machine we run). */
export const REBUILD_WORKERS_MAX = 16;

function checkWorkers(workers: number): void {
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > REBUILD_WORKERS_MAX)
    throw new RangeError(`rebuild workers must be 1..${REBUILD_WORKERS_MAX}: ${workers}`);
}

/**
 * The event types some read model reads (../model/registry.ts: applicants, the claim models, the fiscal
 * totals' allocation plans). The others (reference reservations, integrity flags, period closes) change
 * no read model: the parallel rebuild never fetches their data nor parses it, it only counts them and
 * checks that their type is known.
 */
export const PROJECTED_EVENT_TYPES: readonly string[] = LEDGER_EVENT_TYPES.filter(
  (type) =>
    type === 'ApplicantRegistered' ||
    type === 'ApplicantRelocated' ||
    type === 'AllocationPlanDecided' ||
    type === 'AllocationDisbursementRecorded' ||
    (CLAIM_EVENT_TYPES as readonly string[]).includes(type),
);

export function projectedTypesSql(): string {
  return PROJECTED_EVENT_TYPES.map((type) => `'${type.replace(/'/g, "''")}'`).join(', ');
}
