import { DecimalValue, decimalFormatError, Money, MoneyDecimal } from '@hz/money';
import type { EvidenceError, EvidenceValidation } from './api';
import { ITEMS_MAX, TEXT_MAX_LENGTH } from './catalog-builders';
import type { EvidenceSchema, FieldSpec, PolicyCatalog, ProgramDefinition } from './catalog-types';
import { isIsoDate } from './dates';
import { findProgram, isClaimable } from './registry';

/** The report stops here: a hostile body must not make the error list unbounded. */
export const EVIDENCE_ERRORS_MAX = 100;

export type EvidenceReading =
  | {
      readonly ok: true;
      readonly program: ProgramDefinition;
      readonly values: ParsedEvidence;
      readonly subjectKey: string | null;
    }
  | { readonly ok: false; readonly errors: readonly EvidenceError[] };

/**
 * The shape check of docs/policy.md §3 (HTTP 400): required fields, types, §2 money and decimal strings,
 * calendar dates, enums, bounded sizes, unknown fields refused. Whether the facts make the claim
 * eligible is assess()'s business.
 */
export function validateEvidence(
  catalog: PolicyCatalog,
  programCode: string,
  evidence: unknown,
): EvidenceValidation {
  const reading = readEvidence(catalog, programCode, evidence);
  return reading.ok ? { ok: true, subjectKey: reading.subjectKey } : reading;
}

/** validateEvidence, keeping the parsed values for the rule engine. */
export function readEvidence(
  catalog: PolicyCatalog,
  programCode: string,
  evidence: unknown,
): EvidenceReading {
  const program = findProgram(catalog, programCode);
  if (!program)
    return {
      ok: false,
      errors: [
        {
          code: 'EVIDENCE.PROGRAM_UNKNOWN',
          path: '',
          message: `no program "${programCode}" in ${catalog.id}`,
        },
      ],
    };
  if (!isClaimable(program)) {
    return {
      ok: false,
      errors: [
        {
          code: 'EVIDENCE.PROGRAM_NOT_CLAIMABLE',
          path: '',
          message: `${program.code} takes no claims, so it has no evidence`,
        },
      ],
    };
  }
  const errors: EvidenceError[] = [];
  const values = readObject(program.evidence, evidence, '', errors);
  if (errors.length > 0) return { ok: false, errors: bounded(errors) };
  return { ok: true, program, values, subjectKey: subjectKeyOf(program, values) };
}

function subjectKeyOf(program: ProgramDefinition, values: ParsedEvidence): string | null {
  if (program.subjectKeyField === null) return null;
  // The catalog check guarantees a text field, and a valid reading holds every field.
  return values.get(program.subjectKeyField)?.value as string;
}

function bounded(errors: readonly EvidenceError[]): readonly EvidenceError[] {
  if (errors.length <= EVIDENCE_ERRORS_MAX) return errors;
  const more = errors.length - (EVIDENCE_ERRORS_MAX - 1);
  return [
    ...errors.slice(0, EVIDENCE_ERRORS_MAX - 1),
    { code: 'EVIDENCE.TOO_MANY_ERRORS', path: '', message: `${more} more errors not listed` },
  ];
}

// ---- Reading an object against its schema ----

/** Evidence after its shape was checked, with amounts and decimals already parsed. */
export type ParsedValue =
  | { readonly kind: 'text' | 'date' | 'enum'; readonly value: string }
  | { readonly kind: 'money'; readonly value: Money }
  | { readonly kind: 'decimal'; readonly value: DecimalValue }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'enum-set'; readonly value: readonly string[] }
  | { readonly kind: 'list'; readonly value: readonly ParsedEvidence[] };

export type ParsedEvidence = ReadonlyMap<string, ParsedValue>;

type Errors = EvidenceError[];

/** Reads an object against a schema, collecting every error with its path (docs/policy.md §3, §2). */
function readObject(
  schema: EvidenceSchema,
  input: unknown,
  path: string,
  errors: Errors,
): ParsedEvidence {
  const values = new Map<string, ParsedValue>();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push({
      code: 'EVIDENCE.NOT_AN_OBJECT',
      path,
      message: 'evidence must be a JSON object',
    });
    return values;
  }
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(schema.fields, name))
      errors.push({
        code: 'EVIDENCE.UNKNOWN_FIELD',
        path: join(path, name),
        message: `unknown field "${name}"`,
      });
  }
  for (const [name, spec] of fieldsOf(schema)) {
    const raw: unknown = (input as { [key: string]: unknown })[name];
    const fieldPath = join(path, name);
    if (!Object.hasOwn(input, name) || raw === null) {
      errors.push({
        code: 'EVIDENCE.FIELD_REQUIRED',
        path: fieldPath,
        message: `${name} is required`,
      });
      continue;
    }
    const value = readField(spec, raw, fieldPath, errors);
    if (value) values.set(name, value);
  }
  return values;
}

/**
 * A schema's fields as entries, made once per schema (issue 13: verify reads every claim's evidence, and
 * `Object.entries` made the array of pairs on each read). Schemas are immutable catalog data.
 */
const schemaFields = new WeakMap<EvidenceSchema, ReadonlyArray<readonly [string, FieldSpec]>>();

function fieldsOf(schema: EvidenceSchema): ReadonlyArray<readonly [string, FieldSpec]> {
  let fields = schemaFields.get(schema);
  if (fields === undefined) schemaFields.set(schema, (fields = Object.entries(schema.fields)));
  return fields;
}

function readField(
  spec: FieldSpec,
  raw: unknown,
  path: string,
  errors: Errors,
): ParsedValue | undefined {
  switch (spec.kind) {
    case 'text':
      if (typeof raw !== 'string')
        return failed(errors, path, 'EVIDENCE.NOT_A_STRING', 'expected a string');
      if (raw.trim().length === 0)
        return failed(errors, path, 'EVIDENCE.EMPTY_STRING', 'must not be empty');
      if (raw.trim() !== raw)
        return failed(
          errors,
          path,
          'EVIDENCE.UNTRIMMED_STRING',
          'must not start or end with spaces',
        );
      if (raw.length > TEXT_MAX_LENGTH)
        return failed(
          errors,
          path,
          'EVIDENCE.STRING_TOO_LONG',
          `at most ${TEXT_MAX_LENGTH} characters`,
        );
      return { kind: 'text', value: raw };
    case 'date':
      if (typeof raw !== 'string')
        return failed(errors, path, 'EVIDENCE.NOT_A_STRING', 'expected a date string YYYY-MM-DD');
      if (!isIsoDate(raw))
        return failed(
          errors,
          path,
          'EVIDENCE.INVALID_DATE',
          `"${raw.slice(0, TEXT_MAX_LENGTH)}" is not a calendar date written YYYY-MM-DD`,
        );
      return { kind: 'date', value: raw };
    case 'money': {
      const parsed = Money.tryParse(raw);
      if (!parsed.ok)
        return failed(
          errors,
          path,
          'EVIDENCE.INVALID_MONEY',
          parsed.error.message,
          parsed.error.code,
        );
      if (spec.positive && parsed.value.isZero())
        return failed(errors, path, 'EVIDENCE.MONEY_NOT_POSITIVE', 'must be more than 0.00');
      return { kind: 'money', value: parsed.value };
    }
    case 'decimal': {
      const error = decimalFormatError(raw);
      if (error) return failed(errors, path, 'EVIDENCE.INVALID_DECIMAL', error.message, error.code);
      return { kind: 'decimal', value: new MoneyDecimal(raw as string) };
    }
    case 'integer':
      if (typeof raw !== 'number' || !Number.isInteger(raw))
        return failed(errors, path, 'EVIDENCE.NOT_AN_INTEGER', 'expected a JSON integer');
      if (!Number.isSafeInteger(raw) || raw < spec.minimum)
        return failed(
          errors,
          path,
          'EVIDENCE.INTEGER_OUT_OF_RANGE',
          `expected an integer ≥ ${spec.minimum}`,
        );
      return { kind: 'integer', value: raw };
    case 'enum':
      if (typeof raw !== 'string' || !spec.values.includes(raw))
        return failed(
          errors,
          path,
          'EVIDENCE.INVALID_ENUM',
          `expected one of ${spec.values.join(', ')}`,
        );
      return { kind: 'enum', value: raw };
    case 'enum-set':
    case 'list': {
      const maxItems = spec.kind === 'list' ? spec.maxItems : ITEMS_MAX;
      const elements = readArray(raw, maxItems, path, errors);
      if (!elements) return undefined;
      if (spec.kind === 'enum-set') return readEnumSet(spec.values, elements, path, errors);
      return {
        kind: 'list',
        value: elements.map((element, index) =>
          readObject(spec.item, element, `${path}[${index}]`, errors),
        ),
      };
    }
  }
}

/** One error of a field (no closure made per field read: issue 13, verify reads every claim's evidence). */
function failed(
  errors: Errors,
  path: string,
  code: string,
  message: string,
  cause?: string,
): undefined {
  errors.push(cause === undefined ? { code, path, message } : { code, path, message, cause });
  return undefined;
}

/** A set of allowed strings: non-empty, every element allowed, none twice. */
function readEnumSet(
  allowed: readonly string[],
  elements: readonly unknown[],
  path: string,
  errors: Errors,
): ParsedValue | undefined {
  const before = errors.length;
  elements.forEach((element, index) => {
    const elementPath = `${path}[${index}]`;
    if (typeof element !== 'string' || !allowed.includes(element)) {
      errors.push({
        code: 'EVIDENCE.INVALID_ENUM',
        path: elementPath,
        message: `expected one of ${allowed.join(', ')}`,
      });
    } else if (elements.indexOf(element) !== index) {
      errors.push({
        code: 'EVIDENCE.DUPLICATE_VALUE',
        path: elementPath,
        message: `"${element}" is listed twice`,
      });
    }
  });
  return errors.length === before ? { kind: 'enum-set', value: elements as string[] } : undefined;
}

/** A bounded, non-empty JSON array. */
function readArray(
  raw: unknown,
  maxItems: number,
  path: string,
  errors: Errors,
): readonly unknown[] | undefined {
  const fail = (code: string, message: string): undefined =>
    void errors.push({ code, path, message });
  if (!Array.isArray(raw)) return fail('EVIDENCE.NOT_A_LIST', 'expected a JSON array');
  if (raw.length === 0) return fail('EVIDENCE.EMPTY_LIST', 'at least one element is required');
  if (raw.length > maxItems) return fail('EVIDENCE.TOO_MANY_ITEMS', `at most ${maxItems} elements`);
  return raw;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
