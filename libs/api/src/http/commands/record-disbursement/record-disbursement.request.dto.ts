import {
  DateOrDateTimeField,
  FunderField,
  MoneyField,
  ReferenceField,
} from '../../validation/fields';

export class RecordDisbursementRequest {
  @FunderField() funder!: 'city' | 'district';
  @MoneyField("amount paid (never above the funder's unpaid share)") amount!: string;
  @ReferenceField('payment reference, unique across the ledger') paymentRef!: string;
  @DateOrDateTimeField('when it was paid') paidAt!: string;
}
