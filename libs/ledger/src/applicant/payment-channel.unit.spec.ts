/** DisbursementRecorded v2 (docs/architecture.md §2, "Event versions and upcasting"): the payment channel. */
import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  approve,
  claimOf,
  CONTEXT,
  disburse,
  historyOf,
  register,
  submit,
  XIAOSHAN_CO,
} from '../testing/fixtures';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const claimId = claimOf(XIAOSHAN_CO, 1);
const approved = historyOf(
  register(XIAOSHAN_CO, 'xiaoshan'),
  submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
  approve(claimId, '200000.00'),
);
const paid = disburse(claimId, 'district', '100000.00', 'PAY-1');

describe('RecordDisbursement writes DisbursementRecorded v2 with its channel', () => {
  it('bank-transfer when the command names none', () => {
    spec
      .given(approved)
      .when(paid)
      .thenMatches([{ data: { paymentRef: 'PAY-1', channel: 'bank-transfer' } }]);
  });

  it('the channel the finance officer names', () => {
    spec
      .given(approved)
      .when({ ...paid, data: { ...paid.data, channel: 'treasury-direct' } })
      .thenMatches([{ data: { paymentRef: 'PAY-1', channel: 'treasury-direct' } }]);
  });

  it('never "unrecorded" (the v1 upcaster\'s value) nor anything else', () => {
    for (const channel of ['unrecorded', 'cash', 42])
      spec
        .given(approved)
        .when({ ...paid, data: { ...paid.data, channel: channel as 'bank-transfer' } })
        .thenFails('COMMAND.INVALID', { field: 'channel' });
  });
});
