/**
 * Query-string parsing for the read endpoints: every parameter is checked and a bad one is a 400
 * REQUEST.INVALID whose details name it (the contract's one error shape), before anything is read.
 */
import { isValidUscc } from '@hz/ledger';
import {
  CLAIM_STATUSES,
  FISCAL_REPORT_PERIODS_MAX,
  periodsBetween,
  type ClaimStatus,
  type FiscalPeriodKind,
} from '@hz/projections';
import { requestInvalid, type FieldProblem } from '../http/errors/error-body';

export type QueryInput = Readonly<Record<string, unknown>>;

export const CLAIMS_LIMIT_DEFAULT = 50;
export const CLAIMS_LIMIT_MAX = 200;
export const APPLICANTS_LIMIT_DEFAULT = 20;
export const APPLICANTS_LIMIT_MAX = 100;
export const APPLICANT_NAME_MAX = 100;

const AS_OF_PATTERN =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const PROGRAM_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FUNDER_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
const POSITION_PATTERN = /^(0|[1-9][0-9]{0,18})$/;

/** Collects problems, so one 400 reports every bad parameter at once. */
export class QueryReader {
  private readonly problems: FieldProblem[] = [];

  constructor(
    private readonly input: QueryInput,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(input)) {
      if (!allowed.includes(name))
        this.fail(
          name,
          'QUERY.UNKNOWN_PARAMETER',
          `${name} is not a parameter of this query (allowed: ${allowed.join(', ')})`,
        );
    }
  }

  text(name: string, pattern: RegExp, code: string, what: string): string | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    if (pattern.test(value)) return value;
    this.fail(name, code, `${name} must be ${what}`);
    return undefined;
  }

  applicant(name = 'applicant'): string | undefined {
    const value = this.single(name);
    if (value === undefined || isValidUscc(value)) return value;
    this.fail(name, 'USCC.INVALID', `${name} must be a valid unified social credit code`);
    return undefined;
  }

  programCode(): string | undefined {
    return this.text(
      'programCode',
      PROGRAM_PATTERN,
      'QUERY.PROGRAM_CODE_INVALID',
      'a program code such as c3-trademark',
    );
  }

  funder(): string | undefined {
    return this.text(
      'funder',
      FUNDER_PATTERN,
      'QUERY.FUNDER_INVALID',
      '"city" or a district code such as xiaoshan',
    );
  }

  integer(name: string, minimum: number, maximum: number): number | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    const parsed = /^-?[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(parsed) && parsed >= minimum && parsed <= maximum) return parsed;
    this.fail(
      name,
      'QUERY.INTEGER_OUT_OF_RANGE',
      `${name} must be an integer from ${minimum} to ${maximum}`,
    );
    return undefined;
  }

  /** The page size: `limit` from 1 to `maximum`, else `fallback` (the routes document both). */
  limit(maximum: number, fallback: number): number {
    return this.integer('limit', 1, maximum) ?? fallback;
  }

  /** The opaque `cursor` of a paged read (a previous page's nextCursor) as the position to read after. */
  cursor(): bigint | undefined {
    const text = this.text(
      'cursor',
      CURSOR_PATTERN,
      'QUERY.CURSOR_INVALID',
      'a value returned as nextCursor',
    );
    return decodeCursor(this, text);
  }

  status(): ClaimStatus | undefined {
    const value = this.single('status');
    if (value === undefined || (CLAIM_STATUSES as readonly string[]).includes(value))
      return value as ClaimStatus | undefined;
    this.fail(
      'status',
      'QUERY.STATUS_INVALID',
      `status must be one of ${CLAIM_STATUSES.join(', ')}`,
    );
    return undefined;
  }

  /** asOf: an ISO-8601 instant with a zone (ledger time); returns epoch ms. */
  asOf(): { readonly iso: string; readonly ms: number } | undefined {
    const value = this.single('asOf');
    if (value === undefined) return undefined;
    const ms = AS_OF_PATTERN.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ms)) return { iso: new Date(ms).toISOString(), ms };
    this.fail(
      'asOf',
      'QUERY.AS_OF_INVALID',
      'asOf must be an ISO-8601 instant with a time zone, e.g. 2024-06-30T16:00:00Z',
    );
    return undefined;
  }

  period(): FiscalPeriodKind {
    const value = this.single('period');
    if (value === undefined || value === 'month' || value === 'year') return value ?? 'month';
    this.fail('period', 'QUERY.PERIOD_INVALID', 'period must be "month" or "year"');
    return 'month';
  }

  /** The required `name` of an applicant search: a part of the registered name (trimmed, 1..100 characters, no control characters). */
  nameContains(): string | undefined {
    if (this.input['name'] === undefined) {
      this.fail('name', 'FIELD.REQUIRED', 'name is required');
      return undefined;
    }
    const value = this.single('name')?.trim();
    if (value === undefined) return undefined;
    if (
      value.length === 0 ||
      [...value].length > APPLICANT_NAME_MAX ||
      // eslint-disable-next-line no-control-regex -- control characters are what this refuses
      /[\u0000-\u001f\u007f]/.test(value)
    ) {
      this.fail(
        'name',
        'QUERY.NAME_INVALID',
        `name must be 1 to ${APPLICANT_NAME_MAX} characters of the applicant's name, without control characters`,
      );
      return undefined;
    }
    return value;
  }

  /** groupBy of a fiscal report: only 'clause' (rows per funder and policy clause). */
  groupBy(): 'clause' | undefined {
    const value = this.single('groupBy');
    if (value === undefined || value === 'clause') return value;
    this.fail('groupBy', 'QUERY.GROUP_BY_INVALID', 'groupBy must be "clause"');
    return undefined;
  }

  /** from/to of a fiscal report: 'YYYY-MM' for months, 'YYYY' for years, from ≤ to, a bounded number of periods. */
  periodRange(period: FiscalPeriodKind): { readonly from?: string; readonly to?: string } {
    const pattern = period === 'month' ? /^[0-9]{4}-(0[1-9]|1[0-2])$/ : /^[0-9]{4}$/;
    const shape = period === 'month' ? 'a month YYYY-MM' : 'a year YYYY';
    const from = this.text(
      'from',
      pattern,
      'QUERY.PERIOD_BOUND_INVALID',
      `${shape} (period=${period})`,
    );
    const to = this.text(
      'to',
      pattern,
      'QUERY.PERIOD_BOUND_INVALID',
      `${shape} (period=${period})`,
    );
    if (from !== undefined && to !== undefined) {
      if (from > to) this.fail('from', 'QUERY.RANGE_INVALID', 'from must not be after to');
      else if (periodsBetween(from, to, period).length >= FISCAL_REPORT_PERIODS_MAX)
        this.fail('to', 'QUERY.RANGE_TOO_LONG', `at most ${FISCAL_REPORT_PERIODS_MAX - 1} periods`);
    }
    return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  }

  fail(path: string, code: string, message: string): void {
    this.problems.push({ path, code, message });
  }

  /** Throws the 400 when anything was wrong. */
  done(): void {
    if (this.problems.length > 0) throw requestInvalid(this.problems, 'the query is not valid');
  }

  private single(name: string): string | undefined {
    const value = this.input[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.length > 0 && value.length <= 200) return value;
    this.fail(name, 'QUERY.PARAMETER_INVALID', `${name} must be given once, as a non-empty value`);
    return undefined;
  }
}

/** The X-Min-Position header: a log position (decimal), or undefined when absent. */
export function minPositionOf(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && POSITION_PATTERN.test(header)) return BigInt(header);
  throw requestInvalid([
    {
      path: 'X-Min-Position',
      code: 'QUERY.MIN_POSITION_INVALID',
      message: 'X-Min-Position must be a log position (a non-negative integer)',
    },
  ]);
}

export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export function encodeCursor(afterSubmittedPosition: bigint): string {
  return Buffer.from(`q1:${afterSubmittedPosition}`, 'utf8').toString('base64url');
}

/** The claim-queue cursor is opaque to clients; it holds the submission position of the last claim seen. */
export function decodeCursor(reader: QueryReader, cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  const match = /^q1:(0|[1-9][0-9]{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match?.[1] !== undefined) return BigInt(match[1]);
  reader.fail('cursor', 'QUERY.CURSOR_INVALID', 'cursor must be a value returned as nextCursor');
  return undefined;
}
