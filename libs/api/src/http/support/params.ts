/** Path parameters are checked like bodies: a malformed id is a 400 before anything is read. */
import { Injectable, type PipeTransform } from '@nestjs/common';
import { applicantOfClaimId, isValidUscc } from '@hz/ledger';
import { requestInvalid } from '../errors/error-body';

@Injectable()
export class UsccParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isValidUscc(value))
      throw requestInvalid([
        { path: 'uscc', code: 'USCC.INVALID', message: 'not a valid unified social credit code' },
      ]);
    return value;
  }
}

@Injectable()
export class ClaimIdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const applicant = applicantOfClaimId(value);
    if (!applicant || !isValidUscc(applicant)) {
      throw requestInvalid([
        { path: 'id', code: 'CLAIM_ID.INVALID', message: 'a claim id is "{uscc}-{n}"' },
      ]);
    }
    return value;
  }
}

@Injectable()
export class PlanIdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PLAN_ID_PATTERN.test(value))
      throw requestInvalid([
        {
          path: 'id',
          code: 'PLAN_ID.INVALID',
          message: 'a plan id is 1 to 64 letters, digits, . _ -',
        },
      ]);
    return value;
  }
}

export const PLAN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The USCC a claim id routes to; callers have validated the id with ClaimIdParamPipe. */
export function applicantOf(claimId: string): string {
  const applicant = applicantOfClaimId(claimId);
  if (!applicant) throw new Error(`claim id ${claimId} was not validated`);
  return applicant;
}
