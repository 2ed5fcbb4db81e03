import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  approve,
  asAdmin,
  asApplicant,
  asReviewer,
  BINJIANG_CO,
  claimOf,
  CONTEXT,
  EVIDENCE,
  historyOf,
  OTHER_CO,
  register,
  submit,
  XIAOSHAN_CO,
} from '../testing/fixtures';
import type { ApplicantCommand } from '../commands';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const registered = () => historyOf(register(XIAOSHAN_CO, 'xiaoshan'));
const withData = (command: ApplicantCommand, data: Record<string, unknown>) =>
  ({ ...command, data: { ...command.data, ...data } }) as ApplicantCommand;

describe('SubmitClaim', () => {
  it('records a claim with its id, scope and the engine assessment (worked example 1)', () => {
    spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'))
      .thenMatches([
        {
          type: 'ClaimSubmitted',
          data: {
            claimId: claimOf(XIAOSHAN_CO, 1),
            applicant: XIAOSHAN_CO,
            programCode: 'c3-trademark',
            supportYear: 2024,
            subjectKey: null,
            scopeKey: 'c3-trademark',
            requestedAmount: '250000.00',
            evidence: EVIDENCE['c3-trademark'],
            policyId: 'hz-cbec-2023',
            catalogHash: CONTEXT.catalog.hash,
            submittedOn: '2024-07-01',
            assessment: {
              eligible: true,
              base: '300000.00',
              ruleAmount: '210000.00',
              ceiling: '200000.00',
            },
          },
        },
      ]);
  });

  it('numbers claims per applicant: the next claim is {uscc}-2', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '100000.00'),
        ),
      )
      .when(submit(XIAOSHAN_CO, 'c1-platform', '100000.00'))
      .thenMatches([{ data: { claimId: claimOf(XIAOSHAN_CO, 2), scopeKey: 'c1-platform/2024' } }]);
  });

  it('allows several open claims in an annual scope (the cap bounds them at approval)', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
        ),
      )
      .when(submit(XIAOSHAN_CO, 'c1-platform', '900000.00'))
      .thenMatches([{ type: 'ClaimSubmitted', data: { assessment: { ceiling: '900000.00' } } }]);
  });

  it('normalises the requested amount to 2 digits', () => {
    spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c1-platform', '1000.5'))
      .thenMatches([{ data: { requestedAmount: '1000.50' } }]);
  });

  it('refuses an unregistered applicant (422)', () => {
    spec
      .given([])
      .when(submit(XIAOSHAN_CO, 'c1-platform', '1000.00'))
      .thenFails('APPLICANT.NOT_REGISTERED');
  });

  it('refuses an integrity-flagged applicant (clause 十)', () => {
    const flagged = historyOf(register(XIAOSHAN_CO, 'xiaoshan'), {
      type: 'RaiseIntegrityFlag',
      data: { uscc: XIAOSHAN_CO, reason: 'dishonest' },
      metadata: asAdmin(),
    });
    spec
      .given(flagged)
      .when(submit(XIAOSHAN_CO, 'c1-platform', '1000.00'))
      .thenFails('APPLICANT.INTEGRITY_FLAGGED');
  });

  it('refuses an unknown program', () => {
    spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c99-nothing', '1000.00', { evidence: {} }))
      .thenFails('POLICY.PROGRAM_UNKNOWN');
  });

  it.each([['c7-financing'], ['c9-park-allocation']])(
    'refuses the non-claimable program %s',
    (programCode) => {
      spec
        .given(registered())
        .when(submit(XIAOSHAN_CO, programCode, '1000.00', { evidence: {} }))
        .thenFails('POLICY.PROGRAM_NOT_CLAIMABLE');
    },
  );

  it.each([[2022], [2027]])('refuses support year %d (2023..2026 only)', (supportYear) => {
    spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c1-platform', '1000.00', { supportYear }))
      .thenFails('POLICY.SUPPORT_YEAR_OUT_OF_RANGE');
  });

  it('refuses a support year that is not an integer', () => {
    spec
      .given(registered())
      .when(withData(submit(XIAOSHAN_CO, 'c1-platform', '1000.00'), { supportYear: 2024.5 }))
      .thenFails('COMMAND.INVALID');
  });

  it('refuses malformed evidence as invalid (400) with the engine code and path', () => {
    const error = spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c1-platform', '1000.00', { evidence: {} }))
      .thenFails('EVIDENCE.FIELD_REQUIRED');
    expect(error.kind).toBe('invalid');
    expect(error.details['errors']).toEqual([expect.objectContaining({ path: 'platformName' })]);
  });

  it('passes the engine refusal through as 422 (worked example 3: growth below 15%)', () => {
    const error = spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c2-service-provider', '1000000.00'))
      .thenFails('POLICY.GROWTH_BELOW_MINIMUM');
    expect(error.kind).toBe('rule');
  });

  it('refuses a warehouse of exactly 3000 m² (strictly more is required)', () => {
    spec
      .given(registered())
      .when(
        submit(XIAOSHAN_CO, 'c5-consolidation-warehouse', '300000.00', {
          evidence: { warehouseId: 'W9', operatingAreaSqm: '3000' },
        }),
      )
      .thenFails('POLICY.AREA_NOT_ABOVE_MINIMUM');
  });

  it.each([['0.00'], ['0']])('refuses a requested amount of %s', (amount) => {
    spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c1-platform', amount))
      .thenFails('CLAIM.AMOUNT_NOT_POSITIVE');
  });

  it.each([
    ['1e5', 'MONEY.EXPONENT'],
    ['-5.00', 'MONEY.NEGATIVE'],
    ['1.005', 'MONEY.TOO_MANY_FRACTION_DIGITS'],
  ])('refuses the malformed amount %s', (amount, code) => {
    spec
      .given(registered())
      .when(submit(XIAOSHAN_CO, 'c1-platform', amount))
      .thenFails(code as 'MONEY.EXPONENT', { field: 'requestedAmount' });
  });

  describe('Invariant 1: caps', () => {
    it('refuses a second open claim in a one-time scope', () => {
      spec
        .given(
          historyOf(
            register(XIAOSHAN_CO, 'xiaoshan'),
            submit(XIAOSHAN_CO, 'c3-trademark', '200000.00'),
          ),
        )
        .when(submit(XIAOSHAN_CO, 'c3-trademark', '100000.00'))
        .thenFails('CLAIM.OPEN_CLAIM_IN_SCOPE', {
          scopeKey: 'c3-trademark',
          claimId: claimOf(XIAOSHAN_CO, 1),
        });
    });
  });

  describe('Invariant 1: caps', () => {
    it('refuses a claim in a one-time scope that already holds a grant', () => {
      const granted = historyOf(
        register(XIAOSHAN_CO, 'xiaoshan'),
        submit(XIAOSHAN_CO, 'c3-trademark', '200000.00'),
        approve(claimOf(XIAOSHAN_CO, 1), '100000.00'),
      );
      spec
        .given(granted)
        .when(submit(XIAOSHAN_CO, 'c3-trademark', '100000.00'))
        .thenFails('POLICY.ALREADY_AWARDED', { scopeKey: 'c3-trademark' });
    });
  });

  describe('Invariant 1: caps', () => {
    it('refuses a second open claim for the same subject, but not for another subject', () => {
      const open = historyOf(
        register(BINJIANG_CO, 'binjiang'),
        submit(BINJIANG_CO, 'c6-talent-event', '150000.00'),
      );
      spec
        .given(open)
        .when(submit(BINJIANG_CO, 'c6-talent-event', '150000.00'))
        .thenFails('CLAIM.OPEN_CLAIM_IN_SCOPE', { scopeKey: 'c6-talent-event/EV-1' });
      spec
        .given(open)
        .when(
          submit(BINJIANG_CO, 'c6-talent-event', '150000.00', {
            evidence: { eventId: 'EV-2', eventName: 'Second fair', date: '2024-09-10' },
          }),
        )
        .thenMatches([{ data: { subjectKey: 'EV-2', scopeKey: 'c6-talent-event/EV-2' } }]);
    });
  });

  it('accepts a new claim in a one-time scope once the earlier one is withdrawn', () => {
    const withdrawn = historyOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c3-trademark', '200000.00'),
      {
        type: 'WithdrawClaim',
        data: { claimId: claimOf(XIAOSHAN_CO, 1) },
        metadata: asApplicant(XIAOSHAN_CO),
      },
    );
    spec
      .given(withdrawn)
      .when(submit(XIAOSHAN_CO, 'c3-trademark', '200000.00'))
      .thenMatches([{ data: { claimId: claimOf(XIAOSHAN_CO, 2) } }]);
  });

  it('refuses an applicant acting for another applicant (403)', () => {
    const command = {
      ...submit(XIAOSHAN_CO, 'c1-platform', '1000.00'),
      metadata: asApplicant(OTHER_CO),
    };
    spec.given(registered()).when(command).thenFails('ACCESS.NOT_OWN_APPLICANT');
  });

  it('refuses staff submitting a claim', () => {
    spec
      .given(registered())
      .when({ ...submit(XIAOSHAN_CO, 'c1-platform', '1000.00'), metadata: asReviewer() })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });

  it('refuses a command without a valid ledger time', () => {
    const command = submit(XIAOSHAN_CO, 'c1-platform', '1000.00');
    spec
      .given(registered())
      .when({ ...command, metadata: { ...command.metadata, now: '2024-07-01' } })
      .thenFails('COMMAND.INVALID', { field: 'metadata.now' });
  });
});

describe('WithdrawClaim', () => {
  const withdraw = (claimId: string, reason?: string, uscc = XIAOSHAN_CO): ApplicantCommand => ({
    type: 'WithdrawClaim',
    data: { claimId, reason },
    metadata: asApplicant(uscc),
  });
  const submitted = () =>
    historyOf(register(XIAOSHAN_CO, 'xiaoshan'), submit(XIAOSHAN_CO, 'c1-platform', '100000.00'));

  it('withdraws a claim that has no decision yet', () => {
    spec
      .given(submitted())
      .when(withdraw(claimOf(XIAOSHAN_CO, 1), ' changed our mind '))
      .then([
        {
          type: 'ClaimWithdrawn',
          data: { claimId: claimOf(XIAOSHAN_CO, 1), reason: 'changed our mind' },
        },
      ]);
  });

  it('records a missing reason as null', () => {
    spec
      .given(submitted())
      .when(withdraw(claimOf(XIAOSHAN_CO, 1)))
      .then([{ type: 'ClaimWithdrawn', data: { claimId: claimOf(XIAOSHAN_CO, 1), reason: null } }]);
  });

  it('refuses a decided claim', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '100000.00'),
          approve(claimOf(XIAOSHAN_CO, 1), '1000.00'),
        ),
      )
      .when(withdraw(claimOf(XIAOSHAN_CO, 1)))
      .thenFails('CLAIM.NOT_SUBMITTED', { status: 'approved' });
  });

  it('refuses an unknown claim (404)', () => {
    spec
      .given(submitted())
      .when(withdraw(claimOf(XIAOSHAN_CO, 7)))
      .thenFails('CLAIM.NOT_FOUND');
  });

  it('refuses another applicant', () => {
    spec
      .given(submitted())
      .when(withdraw(claimOf(XIAOSHAN_CO, 1), undefined, OTHER_CO))
      .thenFails('ACCESS.NOT_OWN_APPLICANT');
  });
});

describe('application deadline (a catalog parameter, null in hz-cbec-2023)', () => {
  const withDeadline = deciderSpecification(applicantDecider, {
    catalog: { ...CONTEXT.catalog, applicationDeadline: '2024-06-30' },
  });
  const submittedBefore = historyOf(register(XIAOSHAN_CO, 'xiaoshan'), {
    ...submit(XIAOSHAN_CO, 'c1-platform', '1000.00'),
    metadata: asApplicant(XIAOSHAN_CO, { now: '2024-06-30T23:59:00+08:00' }),
  });

  it('refuses a submission after the deadline, by the Hangzhou calendar', () => {
    withDeadline
      .given(registeredAt())
      .when(submit(XIAOSHAN_CO, 'c1-platform', '1000.00'))
      .thenFails('POLICY.APPLICATION_AFTER_DEADLINE');
  });

  it('still approves, after the deadline, a claim submitted before it', () => {
    expect(submittedBefore[1]).toMatchObject({ data: { submittedOn: '2024-06-30' } });
    withDeadline
      .given(submittedBefore)
      .when(approve(claimOf(XIAOSHAN_CO, 1), '1000.00'))
      .thenMatches([{ type: 'ClaimApproved' }]);
  });

  function registeredAt() {
    return historyOf(register(XIAOSHAN_CO, 'xiaoshan'));
  }
});

describe('any command', () => {
  it('refuses a command type nobody knows', () => {
    spec
      .given([])
      .when({
        type: 'DeleteEverything',
        data: {},
        metadata: asAdmin(),
      } as unknown as ApplicantCommand)
      .thenFails('COMMAND.UNKNOWN_TYPE');
  });

  it.each([['idempotencyKey'], ['actor'], ['correlationId'], ['causationId']])(
    'refuses a command without metadata.%s',
    (field) => {
      const command = register(XIAOSHAN_CO, 'xiaoshan');
      spec
        .given([])
        .when({ ...command, metadata: { ...command.metadata, [field]: '' } })
        .thenFails('COMMAND.INVALID', { field: `metadata.${field}` });
    },
  );
});
