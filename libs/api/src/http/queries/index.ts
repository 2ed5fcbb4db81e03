import { GetApplicantHttpController } from './get-applicant/get-applicant.http.controller';
import { GetClaimHistoryHttpController } from './get-claim-history/get-claim-history.http.controller';
import { GetClaimHttpController } from './get-claim/get-claim.http.controller';
import { PoliciesHttpController } from './policies/policies.http.controller';

/** Reads served straight from the streams (the projection-backed queries live in libs/api/src/queries). */
export const QUERY_CONTROLLERS = [
  GetApplicantHttpController,
  GetClaimHistoryHttpController,
  GetClaimHttpController,
  PoliciesHttpController,
];
