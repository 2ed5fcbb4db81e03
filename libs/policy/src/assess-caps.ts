import { Money } from '@hz/money';
import type { CapRoom, GrantInScope } from './api';
import type { CapDefinition } from './catalog-types';
import { AssessmentInput, Findings } from './assess-values';

/**
 * One-time and per-subject scopes hold at most one grant (docs/policy.md §3). A grant reduced to 0.00 by
 * revocations no longer counts: the one-time flag comes back with the room.
 */
export function checkScope(
  input: AssessmentInput,
  grants: readonly GrantInScope[],
  findings: Findings,
): void {
  const { program, subjectKey } = input;
  if (program.scope === 'annual') return;
  const awarded = grants.filter(
    (grant) =>
      grant.programCode === program.code &&
      grant.amount.isPositive() &&
      (program.scope === 'one-time' || grant.subjectKey === subjectKey),
  );
  const first = awarded[0];
  if (first === undefined) return;
  const where =
    program.scope === 'one-time'
      ? program.code
      : `${program.code} ${program.subjectKeyField} ${subjectKey}`;
  const details = {
    claimId: first.claimId,
    amount: first.amount.toString(),
    grants: awarded.length,
  };
  findings.refusals.push({
    code: 'POLICY.ALREADY_AWARDED',
    clause: program.clause,
    message: `already awarded once in ${where}`,
    details,
  });
}

/** Each cap of the program with its room, counting only the grants in that cap's scope. */
export function capRooms(
  input: AssessmentInput,
  ruleAmount: Money,
  grants: readonly GrantInScope[],
  findings: Findings,
): CapRoom[] {
  return input.program.caps.map((definition) => {
    const cap = definition.amount === 'rule-amount' ? ruleAmount : definition.amount;
    const granted = Money.sum(
      grants.filter((grant) => countsToward(input, definition, grant)).map((grant) => grant.amount),
    );
    const room: CapRoom = {
      capId: capId(input, definition),
      clause: definition.clause,
      cap,
      granted,
      room: cap.minusFloorZero(granted),
    };
    const message = `${room.capId}: cap ${cap.toString()}, granted ${granted.toString()}, room ${room.room.toString()}`;
    findings.trace.push({
      step: 'cap',
      clause: room.clause,
      message,
      amount: room.room.toString(),
      details: { capId: room.capId, cap: cap.toString(), granted: granted.toString() },
    });
    if (room.room.isZero() && granted.isPositive()) {
      findings.refusals.push({
        code: 'POLICY.CAP_EXHAUSTED',
        clause: room.clause,
        message: `no room left under ${room.capId}`,
        details: { capId: room.capId, cap: cap.toString(), granted: granted.toString() },
      });
    }
    return room;
  });
}

function countsToward(
  input: AssessmentInput,
  definition: CapDefinition,
  grant: GrantInScope,
): boolean {
  if (grant.programCode !== input.program.code) return false;
  if (definition.kind === 'annual') return grant.supportYear === input.draft.supportYear;
  if (definition.kind === 'subject') return grant.subjectKey === input.subjectKey;
  return true;
}

/** Stable ids: 'annual:c1-platform:2024', 'one-time:c3-trademark', 'subject:c5-consolidation-warehouse:W1', 'applicant-total:…'. */
function capId(input: AssessmentInput, definition: CapDefinition): string {
  const code = input.program.code;
  if (definition.kind === 'annual') return `annual:${code}:${input.draft.supportYear}`;
  if (definition.kind === 'subject') return `subject:${code}:${input.subjectKey}`;
  return `${definition.kind}:${code}`;
}
