/**
 * Input guards shared by the deciders. The domain does not trust its callers: every USCC, amount, reason,
 * date and reference is checked here even though the HTTP DTOs check them too.
 */
import { businessDateOf, businessInstantMs, isOffsetDateTime } from '@hz/kernel';
import { Money, MoneyParseError } from '@hz/money';
import { DomainError, type FixedDomainErrorCode } from './errors';
import type { LedgerCommand, Role } from './commands';

/** Strict money parse; a malformed amount is a 400 with the parser's own code (MONEY.*). */
export function parseAmount(value: unknown, field: string): Money {
  try {
    return Money.parse(value);
  } catch (error) {
    if (error instanceof MoneyParseError)
      throw new DomainError(error.code, error.message, { field });
    throw error;
  }
}

/** Reasons trimmed; at least one non-blank reason, or `code`. Blank entries are dropped, not stored. */
export function requireReasons(reasons: unknown, code: FixedDomainErrorCode): readonly string[] {
  const kept = optionalReasons(reasons);
  if (kept.length === 0) throw new DomainError(code, 'at least one non-blank reason is required');
  return kept;
}

export function optionalReasons(reasons: unknown): readonly string[] {
  if (reasons === undefined || reasons === null) return [];
  if (!Array.isArray(reasons))
    throw new DomainError('COMMAND.INVALID', 'reasons must be an array of strings', {
      field: 'reasons',
    });
  return reasons
    .filter((reason): reason is string => typeof reason === 'string')
    .map((reason) => reason.trim())
    .filter((reason) => reason.length > 0);
}

export function requireText(value: unknown, code: FixedDomainErrorCode, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0)
    throw new DomainError(code, `${field} must be a non-blank string`, { field });
  return text;
}

/**
 * Milliseconds since the epoch of an ISO date (start of that day in Hangzhou) or date-time; NaN if
 * malformed. Business time has one home, @hz/kernel business-time.ts.
 */
export const instantOf = businessInstantMs;

/** The calendar date in Hangzhou of an ISO date-time: what "submitted on" means for a deadline. */
export function hangzhouDateOf(dateTime: string): string {
  const instant = instantOf(dateTime);
  if (Number.isNaN(instant))
    throw new DomainError('COMMAND.INVALID', 'not an ISO date-time', { value: dateTime });
  return businessDateOf(instant);
}

/** An ISO date or date-time (with offset); returns it unchanged. */
export function requireBusinessTime(value: unknown, field: string): string {
  if (Number.isNaN(instantOf(value))) {
    throw new DomainError(
      'COMMAND.INVALID',
      `${field} must be an ISO date (YYYY-MM-DD) or date-time with offset`,
      { field },
    );
  }
  return value as string;
}

/** True when the business time lies after the command's ledger time (a payment cannot be recorded before it happens). */
export function isAfterNow(businessTime: string, now: string): boolean {
  return instantOf(businessTime) > instantOf(now);
}

/** Longest payment, recovery or plan reference. */
export const REFERENCE_MAX_LENGTH = 64;

/**
 * References become stream names (payment-ref-{ref}); keep them to a safe, bounded alphabet. The one
 * definition: the HTTP DTOs (libs/api validators) and the deciders both use it, so they cannot disagree.
 */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

export function requireReference(value: unknown, field: string): string {
  if (typeof value !== 'string' || !REFERENCE_PATTERN.test(value)) {
    throw new DomainError(
      'REFERENCE.INVALID',
      `${field} must be 1..${REFERENCE_MAX_LENGTH} characters of A-Z a-z 0-9 . _ : / -, starting with a letter or digit`,
      { field },
    );
  }
  return value;
}

/**
 * Role and ownership checks every decider runs first (docs/architecture.md §6). `allowed` is the command's
 * roles from its registry entry (command-registry.ts); undefined when the type is not registered.
 */
export function authorize(
  command: LedgerCommand,
  applicantUscc: string | null,
  allowed: readonly Role[] | undefined,
): void {
  const { role, applicant } = command.metadata;
  // Event ids derive from actor and idempotency key: without them two commands could share ids.
  for (const field of ['actor', 'idempotencyKey', 'correlationId', 'causationId'] as const) {
    const value: unknown = command.metadata[field];
    if (typeof value !== 'string' || value.trim().length === 0) {
      throw new DomainError('COMMAND.INVALID', `metadata.${field} is required`, {
        field: `metadata.${field}`,
      });
    }
  }
  if (Number.isNaN(instantOf(command.metadata.now)) || !isOffsetDateTime(command.metadata.now)) {
    throw new DomainError('COMMAND.INVALID', 'metadata.now must be an ISO date-time with offset', {
      field: 'metadata.now',
    });
  }
  if (allowed === undefined)
    throw new DomainError('COMMAND.UNKNOWN_TYPE', `unknown command ${String(command.type)}`);
  if (!allowed.includes(role)) {
    throw new DomainError(
      'ACCESS.ROLE_NOT_ALLOWED',
      `${command.type} needs role ${allowed.join(' or ')}`,
      { role, allowed: [...allowed] },
    );
  }
  // An applicant acts only for itself: the token's USCC must be the stream's applicant.
  if (role === 'applicant' && (applicantUscc === null || applicant !== applicantUscc)) {
    throw new DomainError(
      'ACCESS.NOT_OWN_APPLICANT',
      'an applicant may act only on its own claims',
      { applicant: applicant ?? null },
    );
  }
}

// ---- USCC ----

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-symbol alphabet
 * (no I, O, S, V, Z), the last one a check character over the first 17. Pure, so the HTTP layer, the CLI
 * and the domain all agree on what a valid applicant id is.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_LENGTH = 18;

const WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const MODULUS = 31;
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const PREFIX_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

function valueOf(symbol: string): number {
  const value = USCC_ALPHABET.indexOf(symbol);
  if (value < 0) throw new RangeError(`"${symbol}" is not a USCC symbol`);
  return value;
}

/** The check character for a 17-character prefix; callers have checked the prefix's shape. */
function checkSymbolFor(prefix: string): string {
  let sum = 0;
  for (let index = 0; index < WEIGHTS.length; index += 1) {
    sum += valueOf(prefix.charAt(index)) * (WEIGHTS[index] ?? 0);
  }
  const check = (MODULUS - (sum % MODULUS)) % MODULUS;
  return USCC_ALPHABET.charAt(check);
}

/** True when `code` has 18 symbols of the alphabet (upper case) and a correct check character. */
export function isValidUscc(code: unknown): code is string {
  if (typeof code !== 'string' || !USCC_SHAPE.test(code)) return false;
  return checkSymbolFor(code.slice(0, 17)) === code.charAt(17);
}

/** Completes a 17-symbol prefix with its check character (tests, demo data, fixtures). */
export function usccFromPrefix(prefix: string): string {
  if (!PREFIX_SHAPE.test(prefix)) {
    throw new RangeError(`a USCC prefix is 17 symbols of "${USCC_ALPHABET}", got "${prefix}"`);
  }
  return prefix + checkSymbolFor(prefix);
}
