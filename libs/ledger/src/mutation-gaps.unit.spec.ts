// Tests added for mutants Stryker left alive in libs/ledger (docs/mutation.md, "What the survivors say"):
// each case names the mutation it kills. Bad input is refused with a stable code (docs/style.md).
import { applicantDecider } from './applicant/decider';
import type { ApplicantCommand } from './commands';
import { deciderSpecification } from './testing/decider-specification';
import {
  approve,
  asReviewer,
  claimOf,
  CONTEXT,
  disburse,
  historyOf,
  register,
  SECOND_REVIEWER,
  submit,
  XIAOSHAN_CO,
} from './testing/fixtures';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const claimId = claimOf(XIAOSHAN_CO, 1);

/** A command whose outcome is outside its type: what an unchecked caller (a script, the CLI) might send. */
function withOutcome(
  type: 'DecideClaim' | 'CountersignApproval',
  actor?: string,
): ApplicantCommand {
  const data = { claimId, outcome: 'maybe', amount: '600000.00', reasons: ['why'] };
  return { type, data, metadata: asReviewer(actor) } as unknown as ApplicantCommand;
}

describe('an outcome the deciders do not know', () => {
  // Kills `outcome !== 'approve'` → false in decideClaim: an unknown outcome was recorded as an approval.
  it('is refused by DecideClaim as invalid, and nothing is recorded', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
        ),
      )
      .when(withOutcome('DecideClaim'))
      .thenFails('COMMAND.INVALID', { field: 'outcome' });
  });

  // The same check in countersignApproval had no test reaching it (Stryker: no coverage).
  it('is refused by CountersignApproval as invalid, and nothing is recorded', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
          approve(claimId, '600000.00'),
        ),
      )
      .when(withOutcome('CountersignApproval', SECOND_REVIEWER))
      .thenFails('COMMAND.INVALID', { field: 'outcome' });
  });
});

describe('Invariant 4: payments — a payment reference is one movement', () => {
  const second = claimOf(XIAOSHAN_CO, 2);
  const twoApproved = () =>
    historyOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c1-platform', '100000.00'),
      submit(XIAOSHAN_CO, 'c1-platform', '100000.00'),
      approve(claimId, '100000.00'),
      approve(second, '100000.00'),
      disburse(claimId, 'city', '1000.00', 'PAY-1'),
    );

  // Kills `previous.claimId === movement.claimId` → true: the other claim's payment was taken as a replay.
  it('refuses the reference of one claim on another claim of the applicant', () => {
    spec
      .given(twoApproved())
      .when(disburse(second, 'city', '1000.00', 'PAY-1'))
      .thenFails('REFERENCE.REUSED', { reference: 'PAY-1' });
  });

  // Kills `previous.at === movement.at` → true: a payment on another day was taken as a replay.
  it('refuses the reference again with another payment date', () => {
    spec
      .given(twoApproved())
      .when(disburse(claimId, 'city', '1000.00', 'PAY-1', '2024-06-29'))
      .thenFails('REFERENCE.REUSED', { reference: 'PAY-1' });
  });
});
