/**
 * The applicants read model: USCC, registered name and current district, for finding an applicant by name.
 * A current-state row per applicant, upserted on ApplicantRegistered and ApplicantRelocated.
 */
import { ProjectionInvariantViolation } from './claim-summary';
import type { LedgerRecord } from './ledger-record';
import { defineReadModel } from './read-model';
import type { ApplicantRow } from './rows';

/** The applicant's row after the event, or undefined when the event does not change it. */
export function evolveApplicant(
  before: ApplicantRow | undefined,
  event: LedgerRecord,
): ApplicantRow | undefined {
  switch (event.type) {
    case 'ApplicantRegistered':
      return {
        uscc: event.data.uscc,
        name: event.data.name,
        district: event.data.district,
        position: event.position,
      };
    case 'ApplicantRelocated':
      if (!before)
        throw new ProjectionInvariantViolation(
          `ApplicantRelocated at position ${event.position}: applicant ${event.data.uscc} is not registered`,
        );
      return { ...before, district: event.data.toDistrict, position: event.position };
    default:
      return undefined;
  }
}

/** The rows whose name contains `nameContains` (exact substring, case-sensitive), by name then USCC, at most `limit`. */
export function findApplicantRows(
  rows: Iterable<ApplicantRow>,
  query: ApplicantSearch,
): ApplicantRow[] {
  return [...rows]
    .filter((row) => row.name.includes(query.nameContains))
    .sort((a, b) => byText(a.name, b.name) || byText(a.uscc, b.uscc))
    .slice(0, query.limit);
}

export interface ApplicantSearch {
  /** A substring of the registered name ('' matches every applicant). */
  readonly nameContains: string;
  readonly limit: number;
}

/** Byte order of UTF-16 code units is not SQLite's; compare as UTF-8 bytes like SQLite BINARY and PostgreSQL "C". */
function byText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** One current row per applicant (upsert). */
export const APPLICANTS_MODEL = defineReadModel<ApplicantRow>()({
  name: 'applicants',
  write: 'upsert',
  clustered: true,
  columns: 'uscc text key, name text, district text, position bigint',
  // The reporting views filter applicants by district (docs/reporting.md).
  indexes: [{ name: 'district', columns: ['district'], reportingOnly: true }],
  keyOf: (row) => row.uscc,
  canHandle: (event) => event.type === 'ApplicantRegistered' || event.type === 'ApplicantRelocated',
  evolve: ({ event, view }) => {
    if (event.type !== 'ApplicantRegistered' && event.type !== 'ApplicantRelocated') return [];
    const row = evolveApplicant(view.applicant(event.data.uscc), event);
    return row === undefined ? [] : [row];
  },
});
