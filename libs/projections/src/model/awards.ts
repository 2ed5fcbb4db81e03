/**
 * One-time awards: the grants of one-time scopes (clause 一(一) independent site, 一(二), 二(三), ...).
 * A row appears with the approval decision and follows the claim's status afterwards (pending
 * countersignature, approved, revoked, or rejected when a countersigner overturned it).
 */
import type { AwardRow, ClaimSummary } from './rows';
import { capKindOf } from './caps';
import { claimIdOf } from './claim-summary';
import { compositeKey, defineReadModel } from './read-model';

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
  write: 'upsert',
  clustered: true,
  columns:
    'applicant text key, program_code text key, claim_id text key, amount money, status text, position bigint',
  keyOf: (row) => compositeKey(row.applicant, row.programCode, row.claimId),
  canHandle: (event) => claimIdOf(event) !== undefined,
  evolve: ({ after }) => {
    const row = after === undefined ? undefined : evolveAward(after);
    return row === undefined ? [] : [row];
  },
});
