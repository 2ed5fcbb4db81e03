/**
 * Field validators for request DTOs. They only check the wire shape (docs/policy.md §2 money, GB 32100-2015
 * USCC, known codes of the catalog, ISO dates); business rules stay in the deciders and the policy engine.
 */
import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { moneyFormatError, isDecimalString } from '@hz/money';
import { isValidUscc, REFERENCE_MAX_LENGTH, REFERENCE_PATTERN } from '@hz/ledger';
import { isKnownDistrictCode, isKnownProgramCode } from './policy-lookups';

type Check = (value: unknown, args: ValidationArguments) => boolean;

function fieldRule(name: string, check: Check, message: (args: ValidationArguments) => string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target: object, propertyKey: string | symbol): void => {
      const propertyName = String(propertyKey);
      registerDecorator({
        name,
        target: target.constructor,
        propertyName,
        options,
        validator: { validate: check, defaultMessage: message },
      });
    };
}

/** A CNY amount as a string: a JSON number, sign, exponent or a third fraction digit is refused. */
export const IsMoneyString = fieldRule(
  'isMoneyString',
  (value) => moneyFormatError(value) === undefined,
  (args) => `${args.property}: ${moneyFormatError(args.value)?.message ?? 'not an amount'}`,
);

/** A non-negative decimal of the same strict shape as money (allocation scores). */
export const IsDecimalString = fieldRule(
  'isDecimalString',
  (value) => isDecimalString(value),
  (args) => `${args.property} must be a non-negative decimal string such as "12.5"`,
);

export const IsUscc = fieldRule(
  'isUscc',
  (value) => isValidUscc(value),
  (args) =>
    `${args.property} must be an 18-character unified social credit code with a valid check character`,
);

export const IsDistrictCode = fieldRule(
  'isDistrictCode',
  (value) => typeof value === 'string' && isKnownDistrictCode(value),
  (args) =>
    `${args.property} must be a district code of docs/policy.md §4 (e.g. "xihu", "xiaoshan")`,
);

export const IsProgramCode = fieldRule(
  'isProgramCode',
  (value) => typeof value === 'string' && isKnownProgramCode(value),
  (args) => `${args.property} must be a program code of the catalog (e.g. "c1-platform")`,
);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A real calendar day: rejects 2024-02-30, which Date would silently roll over into March. */
function isCalendarDay(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}

export function isIsoDate(value: unknown): boolean {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  return match !== null && isCalendarDay(match[1] ?? '', match[2] ?? '', match[3] ?? '');
}

/** 'YYYY-MM-DD' or a full ISO-8601 date-time with an explicit zone. */
export function isIsoDateOrDateTime(value: unknown): boolean {
  if (isIsoDate(value)) return true;
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  return (
    match !== null &&
    isCalendarDay(match[1] ?? '', match[2] ?? '', match[3] ?? '') &&
    !Number.isNaN(Date.parse(value as string))
  );
}

export const IsIsoDate = fieldRule(
  'isIsoDate',
  isIsoDate,
  (args) => `${args.property} must be an ISO date "YYYY-MM-DD"`,
);

export const IsIsoDateOrDateTime = fieldRule(
  'isIsoDateOrDateTime',
  isIsoDateOrDateTime,
  (args) => `${args.property} must be an ISO date "YYYY-MM-DD" or date-time with a zone`,
);

/** Identifiers that end up in stream names and logs: the ledger's own pattern (libs/ledger guards.ts). */
export { REFERENCE_PATTERN };
export const IsReference = fieldRule(
  'isReference',
  (value) => typeof value === 'string' && REFERENCE_PATTERN.test(value),
  (args) =>
    `${args.property} must be 1 to ${REFERENCE_MAX_LENGTH} characters of letters, digits and . _ : / -`,
);

/** The field may only be sent when `when(object)` holds (an amount only on approvals). */
export function OnlyWhen(
  when: (object: Record<string, unknown>) => boolean,
  options?: ValidationOptions,
) {
  return fieldRule(
    'onlyWhen',
    (value, args) => value === undefined || when(args.object as Record<string, unknown>),
    (args) => `${args.property} is not allowed here`,
  )(options);
}

/** Stable codes in 400 details for each constraint; money codes come from the money parser itself. */
export const CODE_BY_CONSTRAINT: Readonly<Record<string, string>> = {
  whitelistValidation: 'FIELD.UNKNOWN',
  isDefined: 'FIELD.REQUIRED',
  isString: 'FIELD.NOT_A_STRING',
  isInt: 'FIELD.NOT_AN_INTEGER',
  isIn: 'FIELD.NOT_ALLOWED_VALUE',
  isObject: 'FIELD.NOT_AN_OBJECT',
  nestedValidation: 'FIELD.NOT_AN_OBJECT',
  isArray: 'FIELD.NOT_AN_ARRAY',
  arrayMinSize: 'FIELD.TOO_FEW_ITEMS',
  arrayMaxSize: 'FIELD.TOO_MANY_ITEMS',
  arrayUnique: 'FIELD.DUPLICATE_ITEMS',
  isNotEmpty: 'FIELD.EMPTY',
  matches: 'FIELD.MALFORMED',
  minLength: 'FIELD.TOO_SHORT',
  maxLength: 'FIELD.TOO_LONG',
  min: 'FIELD.OUT_OF_RANGE',
  max: 'FIELD.OUT_OF_RANGE',
  isDecimalString: 'DECIMAL.INVALID',
  isUscc: 'USCC.INVALID',
  isDistrictCode: 'DISTRICT.UNKNOWN',
  isProgramCode: 'PROGRAM.UNKNOWN',
  isIsoDate: 'DATE.INVALID',
  isIsoDateOrDateTime: 'DATE.INVALID',
  isReference: 'REFERENCE.INVALID',
  onlyWhen: 'FIELD.NOT_ALLOWED',
};

export function codeForConstraint(constraint: string, value: unknown): string {
  if (constraint === 'isMoneyString') return moneyFormatError(value)?.code ?? 'MONEY.MALFORMED';
  return (
    CODE_BY_CONSTRAINT[constraint] ??
    `FIELD.${constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`
  );
}
