/**
 * Invariant 4 on one claim: per funder, paid ≤ share; a revocation turns exactly the paid amounts into
 * receivables and cancels the rest; recoveries never exceed the receivable; separation of duties holds
 * (the payer neither approved nor countersigned the claim).
 */
import type { ClaimRevoked, DisbursementRecorded, RecoveryRecorded } from '@hz/ledger';
import { addTo, channelField, funderField, moneyField, type AuditedClaim } from './audit-state';
import type { Finding } from './findings';

type Draft = Omit<Finding, 'position' | 'streamId' | 'revision'>;

export function auditDisbursement(
  claim: AuditedClaim,
  data: DisbursementRecorded['data'],
  actor: string,
): Draft[] {
  const findings: Draft[] = [];
  const funder = funderField(data.funder);
  const amount = moneyField(data.amount, 'amount');
  channelField(data.channel);
  const grant = claim.grant;
  if (claim.status !== 'approved' || grant === null) {
    findings.push({
      check: 'lifecycle',
      code: 'LIFECYCLE.PAID_WHEN_NOT_APPROVED',
      message: `disbursement while the claim is ${claim.status}`,
    });
  }
  if (grant !== null && (grant.approvedBy === actor || grant.countersignedBy === actor)) {
    findings.push({
      check: 'lifecycle',
      code: 'SOD.DISBURSER_DECIDED',
      message: `${actor} paid a claim they approved or countersigned`,
    });
  }
  if (grant !== null && funder === 'district' && data.district !== grant.district) {
    findings.push({
      check: 'paid-within-share',
      code: 'PAYMENT.WRONG_DISTRICT',
      message: `paid by ${data.district}, the split names ${grant.district}`,
    });
  }
  addTo(claim.paid, funder, amount);
  const share = grant?.share[funder];
  if (share === undefined || claim.paid[funder].greaterThan(share)) {
    findings.push({
      check: 'paid-within-share',
      code: 'PAYMENT.EXCEEDS_SHARE',
      message: `${funder} paid ${claim.paid[funder]} in total, share ${share?.toString() ?? 'none'}`,
    });
  }
  return findings;
}

export function auditRevocation(claim: AuditedClaim, data: ClaimRevoked['data']): Draft[] {
  const findings: Draft[] = [];
  const grant = claim.grant;
  if (claim.status !== 'approved' || grant === null) {
    findings.push({
      check: 'lifecycle',
      code: 'LIFECYCLE.REVOKED_WHEN_NOT_APPROVED',
      message: `revoked while ${claim.status}`,
    });
  }
  for (const funder of ['city', 'district'] as const) {
    const recordedReceivable = moneyField(data.receivable[funder], `receivable.${funder}`);
    const recordedCancelled = moneyField(data.cancelled[funder], `cancelled.${funder}`);
    const paid = claim.paid[funder];
    const unpaid = grant === null ? paid : grant.share[funder].minusFloorZero(paid);
    if (!recordedReceivable.equals(paid)) {
      findings.push({
        check: 'recovery-within-receivable',
        code: 'REVOCATION.RECEIVABLE_MISMATCH',
        message: `${funder} receivable recorded ${recordedReceivable}, paid was ${paid}`,
      });
    }
    if (!recordedCancelled.equals(unpaid)) {
      findings.push({
        check: 'paid-within-share',
        code: 'REVOCATION.CANCELLED_MISMATCH',
        message: `${funder} cancelled recorded ${recordedCancelled}, unpaid share was ${unpaid}`,
      });
    }
  }
  // The receivable is what the log shows was paid, not what the event claims: a recorded receivable
  // cannot make room for recoveries that were never owed.
  claim.receivable = { city: claim.paid.city, district: claim.paid.district };
  claim.status = 'revoked';
  return findings;
}

export function auditRecovery(claim: AuditedClaim, data: RecoveryRecorded['data']): Draft[] {
  const funder = funderField(data.funder);
  const amount = moneyField(data.amount, 'amount');
  const findings: Draft[] = [];
  if (claim.status !== 'revoked') {
    findings.push({
      check: 'lifecycle',
      code: 'LIFECYCLE.RECOVERED_WHEN_NOT_REVOKED',
      message: `recovery while the claim is ${claim.status}`,
    });
  }
  addTo(claim.recovered, funder, amount);
  if (claim.recovered[funder].greaterThan(claim.receivable[funder])) {
    findings.push({
      check: 'recovery-within-receivable',
      code: 'RECOVERY.EXCEEDS_RECEIVABLE',
      message: `${funder} recovered ${claim.recovered[funder]} in total, receivable ${claim.receivable[funder]}`,
    });
  }
  return findings;
}
