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

/**
 * Turning ledger results into JSON bodies: positions (bigint) as decimal strings, Money via toJSON. The
 * value JSON.parse(JSON.stringify(value, bigints as strings)) gives, built in one walk without the text
 * in between (issue 12, "The request path": the round trip was 1-2% of the main thread on approve).
 */
export function toJsonObject(value: unknown): JsonObject {
  const json = toJsonValue(value, '');
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('a ledger result must be an object');
  return json as JsonObject;
}

/** JSON.stringify's rules for one value (undefined: left out of an object, null in an array). */
function toJsonValue(input: unknown, key: string): unknown {
  let value = input;
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Number || value instanceof String || value instanceof Boolean)
    value = value.valueOf();
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // Infinity and NaN are written as null; -0 as 0.
      return Number.isFinite(value) ? value + 0 : null;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    // A loop, not map(): a hole is written as null too.
    const items: unknown[] = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1)
      items[index] = toJsonValue(value[index], String(index)) ?? null;
    return items;
  }
  const object: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    const item = toJsonValue((value as Record<string, unknown>)[name], name);
    if (item === undefined) continue;
    // JSON.parse makes `__proto__` an own property like any other key; an assignment would not.
    if (name === '__proto__')
      Object.defineProperty(object, name, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else object[name] = item;
  }
  return object;
}
