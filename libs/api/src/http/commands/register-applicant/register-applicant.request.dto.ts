import { DistrictField, TextField, UsccField } from '../../validation/fields';

export class RegisterApplicantRequest {
  @UsccField('the applicant') uscc!: string;
  @TextField('registered name', 200) name!: string;
  @DistrictField('registered district') district!: string;
}
