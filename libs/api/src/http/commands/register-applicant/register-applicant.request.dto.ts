import { DistrictField, NameField, UsccField } from '../../validation/fields';

export class RegisterApplicantRequest {
  @UsccField('the applicant') uscc!: string;
  @NameField('registered name') name!: string;
  @DistrictField('registered district') district!: string;
}
