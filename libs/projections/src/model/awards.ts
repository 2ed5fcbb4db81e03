/**
 * One-time awards: the grants of one-time scopes (clause 一(一) independent site, 一(二), 二(三), ...).
 * A row appears with the approval decision and follows the claim's status afterwards (pending
 * countersignature, approved, revoked, or rejected when a countersigner overturned it).
 */
import type { AwardRow, ClaimStatus, ClaimSummary } from './rows';
import { capKindOf } from './caps';
import { claimIdOf } from './claim-summary';
import { columns, compositeKey, defineReadModel } from './read-model';

/** A claim is in a one-time scope when one of the caps its grant counts against is a one-time cap. */
export function isOneTime(claim: ClaimSummary): boolean {
  return claim.caps.some((ref) => capKindOf(ref.capId) === 'one-time');
}

export function evolveAward(after: ClaimSummary): AwardRow | undefined {
  if (after.approvedAmount === null || !isOneTime(after)) return undefined;
  return {
    applicant: after.applicant,
    programCode: after.programCode,
    claimId: after.claimId,
    amount: after.approvedAmount,
    status: after.status,
    position: after.lastPosition,
  };
}

/** One current row per (applicant, program, claim) of a one-time scope (upsert). */
export const AWARDS_MODEL = defineReadModel<AwardRow>()({
  name: 'awards',
  table: 'awards',
  key: ['applicant', 'program_code', 'claim_id'],
  write: 'upsert',
  clustered: true,
  columns: columns<AwardRow>(
    ['applicant', 'text', (a) => a.applicant],
    ['program_code', 'text', (a) => a.programCode],
    ['claim_id', 'text', (a) => a.claimId],
    ['amount', 'money', (a) => a.amount],
    ['status', 'text', (a) => a.status],
    ['position', 'bigint', (a) => a.position],
  ),
  keyOf: (row) => compositeKey(row.applicant, row.programCode, row.claimId),
  fromRow: (r) => ({
    applicant: r.text('applicant'),
    programCode: r.text('program_code'),
    claimId: r.text('claim_id'),
    amount: r.text('amount'),
    status: r.text('status') as ClaimStatus,
    position: r.big('position'),
  }),
  canHandle: (event) => claimIdOf(event) !== undefined,
  evolve: ({ after }) => {
    const row = after === undefined ? undefined : evolveAward(after);
    return row === undefined ? [] : [row];
  },
});
