import { OptionalTextField } from '../../validation/fields';

export class WithdrawClaimRequest {
  @OptionalTextField('why the applicant withdraws') reason?: string;
}
