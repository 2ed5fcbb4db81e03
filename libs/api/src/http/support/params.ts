/** Path parameters are checked like bodies: a malformed id is a 400 before anything is read. */
import { Injectable, type PipeTransform, type Type } from '@nestjs/common';
import { applicantOfClaimId, isValidUscc } from '@hz/ledger';
import { requestInvalid } from '../errors/error-body';

/** A pipe that lets a well-formed parameter through and answers 400 REQUEST.INVALID with `problem` otherwise. */
function checkedParam(
  problem: { readonly path: string; readonly code: string; readonly message: string },
  valid: (value: string) => boolean,
): Type<PipeTransform<string, string>> {
  @Injectable()
  class CheckedParamPipe implements PipeTransform<string, string> {
    transform(value: string): string {
      if (!valid(value)) throw requestInvalid([{ ...problem }]);
      return value;
    }
  }
  return CheckedParamPipe;
}

export const PLAN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const UsccParamPipe = checkedParam(
  { path: 'uscc', code: 'USCC.INVALID', message: 'not a valid unified social credit code' },
  isValidUscc,
);

export const ClaimIdParamPipe = checkedParam(
  { path: 'id', code: 'CLAIM_ID.INVALID', message: 'a claim id is "{uscc}-{n}"' },
  (value) => {
    const applicant = applicantOfClaimId(value);
    return applicant !== undefined && isValidUscc(applicant);
  },
);

export const PlanIdParamPipe = checkedParam(
  { path: 'id', code: 'PLAN_ID.INVALID', message: 'a plan id is 1 to 64 letters, digits, . _ -' },
  (value) => PLAN_ID_PATTERN.test(value),
);

/** The USCC a claim id routes to; callers have validated the id with ClaimIdParamPipe. */
export function applicantOf(claimId: string): string {
  const applicant = applicantOfClaimId(claimId);
  if (!applicant) throw new Error(`claim id ${claimId} was not validated`);
  return applicant;
}
