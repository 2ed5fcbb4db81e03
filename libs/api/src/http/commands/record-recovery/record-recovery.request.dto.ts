import {
  DateOrDateTimeField,
  FunderField,
  MoneyField,
  ReferenceField,
} from '../../validation/fields';

export class RecordRecoveryRequest {
  @FunderField() funder!: 'city' | 'district';
  @MoneyField('amount recovered (never above the receivable)') amount!: string;
  @ReferenceField('recovery reference, unique across the ledger') recoveryRef!: string;
  @DateOrDateTimeField('when it was recovered') recoveredAt!: string;
}
