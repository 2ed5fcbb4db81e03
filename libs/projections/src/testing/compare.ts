/** Reads everything a ReadStore serves (optionally as of an instant) in one comparable shape. */
import { allClaims } from '../store/all-claims';
import type { ReadStoreReader } from '../store/read-store';
import type { InMemoryReadModel } from '../model/in-memory-read-model';
import type { ApplicantRow, AwardRow, CapRow, ClaimSummary, FiscalBucket } from '../model/rows';

export interface ServedRows {
  readonly claims: readonly ClaimSummary[];
  readonly applicants: readonly ApplicantRow[];
  readonly awards: readonly AwardRow[];
  readonly caps: readonly CapRow[];
  readonly fiscal: readonly FiscalBucket[];
}

export async function servedByStore(
  reader: ReadStoreReader,
  applicants: readonly string[],
  asOfMs?: number,
): Promise<ServedRows> {
  const claims: ClaimSummary[] = [];
  for await (const claim of allClaims(reader, 97)) claims.push(claim);
  const caps: CapRow[] = [];
  for (const applicant of applicants)
    caps.push(...(await reader.caps(applicant, asOfMs === undefined ? {} : { asOfMs })));
  const fiscal = await reader.fiscalBuckets(asOfMs === undefined ? {} : { asOfMs });
  const applicantRows = await reader.findApplicants({ nameContains: '', limit: 1_000_000 });
  return {
    claims,
    applicants: applicantRows,
    awards: sortAwards(await reader.oneTimeAwards({})),
    caps: sortCaps(caps),
    fiscal: sortBuckets(fiscal),
  };
}

export function servedByModel(
  model: InMemoryReadModel,
  applicants: readonly string[],
  asOfMs?: number,
): ServedRows {
  return {
    claims: model.allClaims(),
    applicants: model.findApplicants({ nameContains: '', limit: 1_000_000 }),
    awards: sortAwards(model.allAwards()),
    caps: sortCaps(applicants.flatMap((applicant) => model.capsOf(applicant, asOfMs))),
    fiscal: sortBuckets(model.fiscalBuckets(asOfMs)),
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortAwards(rows: readonly AwardRow[]): AwardRow[] {
  return [...rows].sort(
    (a, b) =>
      byText(a.applicant, b.applicant) ||
      byText(a.programCode, b.programCode) ||
      byText(a.claimId, b.claimId),
  );
}

function sortCaps(rows: readonly CapRow[]): CapRow[] {
  return [...rows].sort((a, b) => byText(a.applicant, b.applicant) || byText(a.capId, b.capId));
}

function sortBuckets(rows: readonly FiscalBucket[]): FiscalBucket[] {
  return [...rows].sort(
    (a, b) => byText(a.funder, b.funder) || byText(a.month, b.month) || byText(a.clause, b.clause),
  );
}
