import {
  DateOrDateTimeField,
  DistrictField,
  MoneyField,
  ReferenceField,
} from '../../validation/fields';

export class RecordAllocationDisbursementRequest {
  @DistrictField('the district paid') district!: string;
  @MoneyField('amount paid (never above its allocation)') amount!: string;
  @ReferenceField('payment reference, unique across the ledger') paymentRef!: string;
  @DateOrDateTimeField('when it was paid') paidAt!: string;
}
