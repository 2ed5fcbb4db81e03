/** Writes one batch's rows with prepared statements; the caller wraps it in the checkpoint's transaction. */
import type { ProjectionBatch } from '../store/read-store';
import type { GenerationStatements } from './generation-statements';
import {
  applicantParams,
  auditParams,
  awardParams,
  capParams,
  claimParams,
  fiscalParams,
} from './sqlite-rows';

export function writeBatch(s: GenerationStatements, batch: ProjectionBatch): void {
  for (const claim of batch.claims) s.upsertClaim.run(claimParams(claim));
  for (const applicant of batch.applicants) s.upsertApplicant.run(applicantParams(applicant));
  for (const award of batch.awards) s.upsertAward.run(awardParams(award));
  for (const entry of batch.audit) s.insertAudit.run(auditParams(entry));
  for (const cap of batch.caps) s.insertCap.run(capParams(cap));
  // The key table lists each (funder, month, clause) once, so an asOf query seeks per key instead of scanning versions.
  const buckets = new Map<string, readonly [string, string, string]>();
  for (const bucket of batch.fiscal) {
    buckets.set(`${bucket.funder}|${bucket.month}|${bucket.clause}`, [
      bucket.funder,
      bucket.month,
      bucket.clause,
    ]);
    s.insertFiscal.run(fiscalParams(bucket));
  }
  for (const [funder, month, clause] of buckets.values()) s.insertBucket.run(funder, month, clause);
}
