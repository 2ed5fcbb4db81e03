/** Claims the suite files itself (through the API, as an applicant would) so that it knows their numbers. */
import { usccFromPrefix } from '@hz/ledger';
import { Api, expectStatus } from './http';

let sequence = 0;

/** A fresh valid USCC that no demo applicant has (the demo uses the 91330100 prefix). */
export function newUscc(): string {
  sequence += 1;
  const serial = String(process.pid * 1000 + sequence)
    .padStart(9, '0')
    .slice(-9);
  return usccFromPrefix(`91330108${serial}`);
}

export interface FiledClaim {
  readonly uscc: string;
  readonly claimId: string;
  readonly ceiling: string;
}

export async function registerApplicant(
  admin: Api,
  district: string,
  name: string,
): Promise<string> {
  const uscc = newUscc();
  expectStatus(await admin.post('/applicants', { uscc, name, district }), 201, `register ${uscc}`);
  return uscc;
}

export async function fileClaim(
  applicant: Api,
  uscc: string,
  programCode: string,
  supportYear: number,
  requestedAmount: string,
  evidence: Record<string, unknown>,
): Promise<FiledClaim> {
  const reply = await applicant.post<{
    claimId: string;
    assessment: { ceiling: string; eligible: boolean };
  }>('/claims', { applicant: uscc, programCode, supportYear, requestedAmount, evidence });
  expectStatus(reply, 201, `submit ${programCode} for ${uscc}`);
  if (!reply.body.assessment.eligible)
    throw new Error(`the ${programCode} claim of ${uscc} is not eligible`);
  return { uscc, claimId: reply.body.claimId, ceiling: reply.body.assessment.ceiling };
}
