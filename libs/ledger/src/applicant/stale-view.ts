/**
 * What the reviewer saw (issue 18, docs/policy.md §7): a decision may name the log position of the view
 * it was made from (`viewPosition`). The application layer folds the applicant stream up to that position
 * (`DecisionContext.view`); if the claim's ceiling or its fiscal split as seen then differ from what they
 * are now (a grant, revocation or relocation recorded since), the decision is refused with 409
 * DECISION.STALE_VIEW and both sets of figures, instead of deciding on a picture nobody looked at. Cap
 * rooms are shown but not compared: a room that moved without moving the ceiling changes nothing decided.
 */
import { Money, MoneyParseError } from '@hz/money';
import { fiscalSplit, PolicyError } from '@hz/policy';
import type { DecideClaim } from '../commands';
import { recordedCatalog, type DecisionContext } from '../context';
import { assertInvariant, DomainError } from '../errors';
import { assessmentRecordOf } from './claims';
import { assessNow } from './assess-now';
import type { ApplicantState } from './state';

/** A log position as the API writes it: a decimal integer without leading zeros, within a bigint of 63 bits. */
export const VIEW_POSITION_PATTERN = /^(0|[1-9][0-9]{0,17})$/;

/** The command's view position, checked; undefined when the reviewer sent none. */
export function viewPositionOf(data: { readonly viewPosition?: unknown }): string | undefined {
  const value = data.viewPosition;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !VIEW_POSITION_PATTERN.test(value))
    throw new DomainError('COMMAND.INVALID', 'viewPosition must be a log position', {
      field: 'viewPosition',
    });
  return value;
}

/** The figures a decision depends on, as the reviewer saw them or as they are now. */
export type DecisionFigures = {
  readonly status: string;
  readonly district: string;
  /** The ceiling of an approval now; null when the claim could not be approved (see `refusal`). */
  readonly ceiling: string | null;
  readonly refusal: string | null;
  readonly caps: { readonly capId: string; readonly room: string }[];
  /** The split of the amount being approved (null for a rejection or an unreadable amount). */
  readonly split: { readonly cityShare: string; readonly districtShare: string } | null;
};

/**
 * Refuses a decision whose view is stale; returns the view position to record (undefined when none was
 * sent). Runs after the claim was found submitted, before the outcome is looked at.
 */
export function requireFreshView(
  command: DecideClaim,
  state: ApplicantState,
  context: DecisionContext,
): string | undefined {
  const position = viewPositionOf(command.data);
  if (position === undefined) return undefined;
  const view = context.view;
  assertInvariant(
    view !== undefined && view.position === position,
    'the view is folded for the position the command names',
    { viewPosition: position },
  );
  const amount = command.data.outcome === 'approve' ? amountOrNull(command.data.amount) : null;
  const { claimId } = command.data;
  const seen = figuresOf(view.state, claimId, amount, context);
  const current = figuresOf(state, claimId, amount, context);
  if (!sameDecisionFigures(seen, current)) {
    throw new DomainError(
      'DECISION.STALE_VIEW',
      `the claim's ceiling or split changed after log position ${position}; review the current figures`,
      { viewPosition: position, seen, current },
    );
  }
  return position;
}

function amountOrNull(value: unknown): Money | null {
  try {
    const amount = Money.parse(value);
    return amount.isPositive() ? amount : null;
  } catch (error) {
    if (error instanceof MoneyParseError) return null;
    throw error;
  }
}

/** The claim's figures in one state of the stream; null when the claim was not (yet) a submitted claim there. */
export function figuresOf(
  state: ApplicantState,
  claimId: string,
  amount: Money | null,
  context: DecisionContext,
): DecisionFigures | null {
  const claim = state.status === 'registered' ? state.claims[claimId] : undefined;
  if (state.status !== 'registered' || claim === undefined) return null;
  const base = { status: claim.status, district: state.district };
  if (claim.status !== 'submitted')
    return { ...base, ceiling: null, refusal: null, caps: [], split: null };
  try {
    const assessment = assessNow(state, claim, context);
    const split =
      amount === null
        ? null
        : fiscalSplit(recordedCatalog(context, claim), claim.programCode, state.district, amount);
    return {
      ...base,
      ceiling: assessment.ceiling.toString(),
      refusal: null,
      caps: assessmentRecordOf(assessment).caps.map(({ capId, room }) => ({ capId, room })),
      split:
        split === null
          ? null
          : {
              cityShare: split.cityShare.toString(),
              districtShare: split.districtShare.toString(),
            },
    };
  } catch (error) {
    if (!(error instanceof DomainError) && !(error instanceof PolicyError)) throw error;
    return { ...base, ceiling: null, refusal: error.code, caps: [], split: null };
  }
}

/** Equal where a decision depends on them: the claim's status, ceiling or refusal, and the split. */
export function sameDecisionFigures(
  seen: DecisionFigures | null,
  current: DecisionFigures | null,
): boolean {
  if (seen === null || current === null) return seen === current;
  return (
    seen.status === current.status &&
    seen.ceiling === current.ceiling &&
    seen.refusal === current.refusal &&
    seen.split?.cityShare === current.split?.cityShare &&
    seen.split?.districtShare === current.split?.districtShare
  );
}
