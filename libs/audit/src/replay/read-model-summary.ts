/**
 * What `replay` prints: per funder committed, disbursed and outstanding (from the fiscal model), claims by
 * status, and the caps in use, all read back through the ReadStore port so it works on any store.
 */
import { Money } from '@hz/money';
import {
  fiscalReport,
  fiscalTotals,
  type CapCursor,
  type FiscalTotalsRow,
  type ReadStoreReader,
} from '@hz/projections';

/** A funder's fiscal row (declared once, libs/projections/src/model/fiscal-report.ts) summed over every period. */
export type FunderSummary = FiscalTotalsRow;

export interface CapsSummary {
  readonly kind: string;
  readonly capsInUse: number;
  readonly capsExhausted: number;
  readonly granted: string;
  readonly capacity: string;
}

export interface ReadModelSummary {
  readonly claimsByStatus: Readonly<Record<string, number>>;
  readonly funders: readonly FunderSummary[];
  readonly caps: readonly CapsSummary[];
}

/** Caps read per page of the summary (one page in memory at a time). */
const CAPS_PAGE = 2000;

export async function summarizeReadModels(
  reader: ReadStoreReader,
  asOfMs?: number,
): Promise<ReadModelSummary> {
  // Counted inside the store: the claims are never read out one by one (issue 13: `ledger replay`
  // spent seconds of a 1M-event replay listing every claim to count them).
  const claimsByStatus = { ...(await reader.claimCountsByStatus()) };
  const buckets = await reader.fiscalBuckets({ asOfMs });
  // Flows summed over every year; the balances are the closing ones of the last year.
  const funders = fiscalTotals(fiscalReport(buckets, { period: 'year' }));
  const caps = await capsTotals(reader, asOfMs);
  return { claimsByStatus, funders, caps };
}

/**
 * The caps in use per kind, over every applicant's caps at asOf. A cap only moves with a claim of its
 * applicant (libs/projections model/caps.ts), so these are the caps of the applicants that have claims.
 */
async function capsTotals(
  reader: ReadStoreReader,
  asOfMs: number | undefined,
): Promise<CapsSummary[]> {
  const byKind = new Map<
    string,
    { inUse: number; exhausted: number; granted: Money; capacity: Money }
  >();
  let after: CapCursor | undefined;
  for (;;) {
    const page = await reader.capsPage({ after, limit: CAPS_PAGE, asOfMs });
    for (const cap of page.items) {
      const granted = Money.parse(cap.granted);
      if (!granted.isPositive()) continue;
      const entry = byKind.get(cap.kind) ?? {
        inUse: 0,
        exhausted: 0,
        granted: Money.ZERO,
        capacity: Money.ZERO,
      };
      entry.inUse += 1;
      entry.granted = entry.granted.plus(granted);
      if (cap.cap !== null) {
        entry.capacity = entry.capacity.plus(Money.parse(cap.cap));
        if (granted.greaterThanOrEqual(Money.parse(cap.cap))) entry.exhausted += 1;
      }
      byKind.set(cap.kind, entry);
    }
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  return [...byKind.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, entry]) => ({
      kind,
      capsInUse: entry.inUse,
      capsExhausted: entry.exhausted,
      granted: entry.granted.toString(),
      capacity: entry.capacity.toString(),
    }));
}

export function formatReadModelSummary(summary: ReadModelSummary): string {
  const lines = ['Claims by status:'];
  for (const [status, count] of Object.entries(summary.claimsByStatus).sort())
    lines.push(`  ${status.padEnd(20)} ${count}`);
  lines.push(
    '',
    'Per funder (CNY)        committed         disbursed       outstanding        receivable         recovered',
  );
  for (const row of summary.funders) {
    lines.push(
      `  ${row.funder.padEnd(14)} ${[row.committed, row.disbursed, row.outstanding, row.receivable, row.recovered].map((value) => value.padStart(17)).join(' ')}`,
    );
  }
  lines.push('', 'Caps in use             caps   exhausted           granted          capacity');
  for (const row of summary.caps) {
    lines.push(
      `  ${row.kind.padEnd(18)} ${String(row.capsInUse).padStart(8)} ${String(row.capsExhausted).padStart(11)} ${row.granted.padStart(17)} ${row.capacity.padStart(17)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
