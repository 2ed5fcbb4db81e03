import { DateField, DistrictField } from '../../validation/fields';

export class RelocateApplicantRequest {
  @DistrictField('the new district') district!: string;
  @DateField('from when the new district applies') effectiveDate!: string;
}
