/**
 * What the reviewer saw (stale-view.ts): a decision naming a view position is refused with
 * DECISION.STALE_VIEW when the claim's ceiling or split moved after it, and records the position otherwise.
 * The view is the given history's prefix, folded as the application layer folds it (stream-models.ts, decisionContextFor).
 */
import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  approve,
  asAdmin,
  asReviewer,
  claimOf,
  CONTEXT,
  countersign,
  historyOf,
  register,
  submit,
  XIAOSHAN_CO,
} from '../testing/fixtures';
import type { ApplicantCommand, DecideClaim } from '../commands';
import type { ApplicantEvent } from '../events';
import type { DecisionContext } from '../context';

const first = claimOf(XIAOSHAN_CO, 1);
const second = claimOf(XIAOSHAN_CO, 2);

/** The spec of a decision made from the view of the first `seen` events of `history`, at `position`. */
function fromView(history: readonly ApplicantEvent[], seen: number, position: string) {
  const state = history
    .slice(0, seen)
    .reduce(applicantDecider.evolve, applicantDecider.initialState());
  const context: DecisionContext = { ...CONTEXT, view: { position, state } };
  return deciderSpecification(applicantDecider, context).given(history);
}

const seenAt = (command: DecideClaim, viewPosition: string): DecideClaim =>
  ({ ...command, data: { ...command.data, viewPosition } }) as DecideClaim;

/** The reviewer rejects the second claim, from the view at `viewPosition`. */
const rejectFrom = (viewPosition: string): DecideClaim => ({
  type: 'DecideClaim',
  data: { claimId: second, outcome: 'reject', reasons: ['no'], viewPosition },
  metadata: asReviewer(),
});

const relocate = (district: string): ApplicantCommand => ({
  type: 'RelocateApplicant',
  data: { uscc: XIAOSHAN_CO, district, effectiveDate: '2024-06-01' },
  metadata: asAdmin(),
});

/** Two c1-platform claims of 900,000.00 for 2024 (annual cap 1,000,000.00); the first approved later. */
const platformHistory = historyOf(
  register(XIAOSHAN_CO, 'xiaoshan'),
  submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
  submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
  approve(first, '900000.00'),
  countersign(first),
);

describe('DecideClaim: what the reviewer saw (DECISION.STALE_VIEW)', () => {
  it('refuses an approval seen before another grant took cap room, with the figures seen and now', () => {
    const error = fromView(platformHistory, 3, '3')
      .when(seenAt(approve(second, '50000.00'), '3'))
      .thenFails('DECISION.STALE_VIEW', {
        viewPosition: '3',
        seen: { status: 'submitted', ceiling: '900000.00' },
        current: { status: 'submitted', ceiling: '100000.00' },
      });
    expect(error.kind).toBe('conflict');
  });

  it('refuses a rejection seen before the ceiling changed, too', () => {
    fromView(platformHistory, 3, '3')
      .when(rejectFrom('3'))
      .thenFails('DECISION.STALE_VIEW', {
        seen: { ceiling: '900000.00', split: null },
        current: { ceiling: '100000.00', split: null },
      });
  });

  it('decides from a view taken after the change and records its position on the event', () => {
    fromView(platformHistory, 5, '5')
      .when(seenAt(approve(second, '100000.00'), '5'))
      .thenMatches([
        {
          type: 'ClaimApproved',
          data: { claimId: second, amount: '100000.00', viewPosition: '5' },
        },
      ]);
  });

  it('records the position on a rejection', () => {
    fromView(platformHistory, 5, '5')
      .when(rejectFrom('5'))
      .then([
        { type: 'ClaimRejected', data: { claimId: second, reasons: ['no'], viewPosition: '5' } },
      ]);
  });

  it('accepts a view older than events that moved neither the ceiling nor the split', () => {
    // A third claim in another program changes nothing the first claim's decision depends on.
    const history = historyOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
      submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
    );
    fromView(history, 2, '7')
      .when(seenAt(approve(first, '200000.00'), '7'))
      .thenMatches([{ type: 'ClaimApproved', data: { viewPosition: '7', ceiling: '200000.00' } }]);
  });

  it('refuses an approval whose split changed: the applicant moved to a group-A district', () => {
    const history = historyOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
      relocate('binjiang'),
    );
    fromView(history, 2, '2')
      .when(seenAt(approve(first, '200000.00'), '2'))
      .thenFails('DECISION.STALE_VIEW', {
        seen: {
          district: 'xiaoshan',
          split: { cityShare: '50000.00', districtShare: '150000.00' },
        },
        current: {
          district: 'binjiang',
          split: { cityShare: '100000.00', districtShare: '100000.00' },
        },
      });
  });

  it('refuses a view taken before the claim existed (the reviewer cannot have seen it)', () => {
    fromView(platformHistory, 2, '2')
      .when(seenAt(approve(second, '50000.00'), '2'))
      .thenFails('DECISION.STALE_VIEW', { seen: null, current: { ceiling: '100000.00' } });
  });

  it.each([['-1'], ['01'], ['1.5'], [''], ['12345678901234567890']])(
    'refuses the malformed view position %p with COMMAND.INVALID',
    (position) => {
      fromView(platformHistory, 5, position)
        .when(seenAt(approve(second, '100000.00'), position))
        .thenFails('COMMAND.INVALID', { field: 'viewPosition' });
    },
  );

  it('without a view position, decides as before and records none', () => {
    const [approval] = fromView(platformHistory, 3, '3')
      .when(approve(second, '100000.00'))
      .thenMatches([{ type: 'ClaimApproved' }]);
    expect(approval?.data).not.toHaveProperty('viewPosition');
  });
});
