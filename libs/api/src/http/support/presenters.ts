/**
 * Response bodies of the write endpoints: the new state and the log `position` of the write, which a
 * client can send back as `X-Min-Position` to read its own write from the projections.
 */
import type { JsonObject } from '@hz/event-store';
import type { LedgerWriteResult } from './ledger-port';

/** Every write: the new state of what it touched, and where in the log the write landed. */
export function presentWrite(outcome: LedgerWriteResult): JsonObject {
  const { result } = outcome;
  const position = outcome.position.toString();
  switch (result.kind) {
    case 'applicant':
      return toJsonObject({ uscc: result.uscc, applicant: result.applicant, position });
    case 'claim':
      return toJsonObject({
        claimId: result.claimId,
        status: result.status,
        claim: result.claim,
        position,
      });
    case 'allocation':
      return toJsonObject({ planId: result.planId, plan: result.plan, position });
  }
}

/** POST /claims: the contract's `{claimId, status, assessment:{eligible, ruleAmount, ceiling, trace[]}, position}`. */
export function presentSubmission(outcome: LedgerWriteResult): JsonObject {
  const { result } = outcome;
  if (result.kind !== 'claim') throw new Error(`a submission returns a claim, got ${result.kind}`);
  const assessment = toJsonObject(result.assessment);
  return toJsonObject({
    claimId: result.claimId,
    status: result.status,
    assessment: {
      eligible: assessment['eligible'],
      ruleAmount: assessment['ruleAmount'],
      ceiling: assessment['ceiling'],
      trace: assessment['trace'],
    },
    claim: result.claim,
    position: outcome.position.toString(),
  });
}

/** Turning ledger results into JSON bodies: positions (bigint) as decimal strings, Money via toJSON. */
export function toJsonObject(value: unknown): JsonObject {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  const parsed: unknown = JSON.parse(text ?? '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('a ledger result must be an object');
  return parsed as JsonObject;
}
