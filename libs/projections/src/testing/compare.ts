/** Reads everything a ReadStore serves (optionally as of an instant) in one comparable shape. */
import { allClaims } from '../store/all-claims';
import type { CapCursor, ReadStoreReader } from '../store/read-store';
import type { InMemoryReadModel } from '../model/in-memory-read-model';
import type { ApplicantRow, AwardRow, CapRow, ClaimSummary, FiscalBucket } from '../model/rows';

export interface ServedRows {
  readonly claims: readonly ClaimSummary[];
  readonly applicants: readonly ApplicantRow[];
  readonly awards: readonly AwardRow[];
  readonly caps: readonly CapRow[];
  /** Every applicant's caps through capsPage, in small pages (the same rows as `caps`). */
  readonly capsPaged: readonly CapRow[];
  /** Claims by status as the store counts them (claimCountsByStatus). */
  readonly claimCounts: Readonly<Record<string, number>>;
  readonly fiscal: readonly FiscalBucket[];
}

/** Caps per page of capsPage here: small, so that every test ledger spans several pages. */
const CAPS_PAGE = 7;

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
  const capsPaged: CapRow[] = [];
  let after: CapCursor | undefined;
  for (;;) {
    const page = await reader.capsPage({ after, limit: CAPS_PAGE, asOfMs });
    capsPaged.push(...page.items);
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  const fiscal = await reader.fiscalBuckets(asOfMs === undefined ? {} : { asOfMs });
  const applicantRows = await reader.findApplicants({ nameContains: '', limit: 1_000_000 });
  return {
    claims,
    applicants: applicantRows,
    awards: sortAwards(await reader.oneTimeAwards({})),
    caps: sortCaps(caps),
    capsPaged: sortCaps(capsPaged),
    claimCounts: sortKeys(await reader.claimCountsByStatus()),
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
    // A cap only moves with a claim of its applicant: the applicants with claims have every cap.
    capsPaged: sortCaps(applicants.flatMap((applicant) => model.capsOf(applicant, asOfMs))),
    claimCounts: sortKeys(countByStatus(model.allClaims())),
    fiscal: sortBuckets(model.fiscalBuckets(asOfMs)),
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function countByStatus(claims: readonly ClaimSummary[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const claim of claims) counts[claim.status] = (counts[claim.status] ?? 0) + 1;
  return counts;
}

function sortKeys(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => byText(a, b)));
}

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
