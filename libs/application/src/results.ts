/** What LedgerService.execute returns, per command family: the view of the state right after the command. */
import type { StoredEventMetadata } from '@hz/event-store';
import {
  commandDefinition,
  DomainError,
  InvariantViolation,
  toAllocationPlanView,
  toApplicantView,
  toClaimView,
  type AllocationPlanView,
  type AllocationState,
  type ApplicantState,
  type ApplicantView,
  type AssessmentRecord,
  type ClaimStatus,
  type ClaimView,
  type LedgerCommand,
  type LedgerEvent,
} from '@hz/ledger';
import type { EventMetadataInput, JsonObject } from '@hz/event-store';

export type CommandResult =
  | { readonly kind: 'applicant'; readonly uscc: string; readonly applicant: ApplicantView }
  | {
      readonly kind: 'claim';
      readonly claimId: string;
      readonly status: ClaimStatus;
      readonly claim: ClaimView;
      /** The engine's assessment at submission (eligible, ruleAmount, ceiling, trace). */
      readonly assessment: AssessmentRecord;
    }
  | { readonly kind: 'allocation'; readonly planId: string; readonly plan: AllocationPlanView };

/** An event as appended (or found, on a replay): ids are deterministic, metadata as the caller supplied it. */
export interface ExecutedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadataInput | StoredEventMetadata;
}

export interface ExecuteResult {
  /** The events this command appended; on a replay, the ones the first execution appended. */
  readonly events: readonly ExecutedEvent[];
  /** Global position of the last of those events (send it as X-Min-Position to read your own write). */
  readonly position: bigint;
  /** True when nothing new was appended because the command (or the same payment) was already recorded. */
  readonly replayed: boolean;
  readonly result: CommandResult;
  /** True when ExecuteOptions.record committed with this command's events (one commit, issue 12). */
  readonly recorded?: boolean;
}

export interface ExecuteOptions {
  /**
   * A record beside the log (the HTTP idempotency record) to commit in the command's own transaction
   * when it appends; only on a store with `records` (SQLite, PostgreSQL). Not written otherwise.
   */
  readonly record?: {
    readonly key: string;
    /** Called inside the transaction with what execute() will return (the answer to record). */
    readonly value: (executed: ExecuteResult) => JsonObject;
  };
}

function claimIdOf(command: LedgerCommand, events: readonly LedgerEvent[]): string {
  if (command.type !== 'SubmitClaim') return 'claimId' in command.data ? command.data.claimId : '';
  const submitted = events.find((event) => event.type === 'ClaimSubmitted');
  if (submitted === undefined || submitted.type !== 'ClaimSubmitted')
    throw new InvariantViolation('a submission records ClaimSubmitted');
  return submitted.data.claimId;
}

export function applicantResult(
  command: LedgerCommand,
  state: ApplicantState,
  events: readonly LedgerEvent[],
): CommandResult {
  if (state.status !== 'registered')
    throw new InvariantViolation('an applicant command leaves a registered applicant');
  // A command addressed by USCC (command registry) answers with the applicant, the others with their claim.
  if (commandDefinition(command.type)?.stream.by === 'uscc')
    return { kind: 'applicant', uscc: state.uscc, applicant: toApplicantView(state) };
  const claimId = claimIdOf(command, events);
  const claim = state.claims[claimId];
  if (claim === undefined)
    throw new DomainError('CLAIM.NOT_FOUND', `claim ${claimId} does not exist`, { claimId });
  const view = toClaimView(claim);
  return {
    kind: 'claim',
    claimId,
    status: claim.status,
    claim: view,
    assessment: view.assessment,
  };
}

export function allocationResult(state: AllocationState): CommandResult {
  if (state.status !== 'decided')
    throw new InvariantViolation('an allocation command leaves a decided plan');
  return { kind: 'allocation', planId: state.planId, plan: toAllocationPlanView(state) };
}
