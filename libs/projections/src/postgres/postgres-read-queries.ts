/**
 * The reader queries of one generation, the PostgreSQL twins of ../sqlite/generation-statements.ts
 * (same filters, same order), and the row normalisation that lets the SQLite row mappers read
 * PostgreSQL rows: node-postgres returns bigint columns as decimal strings.
 */
import type { ClaimListQuery } from '../store/read-store';
import type { SqlRow, SqlValue } from '../sqlite/sqlite-rows';
import type { PgTableNames } from './postgres-read-schema';

const BIGINT_COLUMNS = new Set([
  'submitted_position',
  'last_position',
  'position',
  'revision',
  'recorded_at_ms',
  'watermark_ms',
]);

/** PostgreSQL row → the shape the SQLite mappers expect (integers of bigint columns as bigint). */
export function toSqlRow(row: Record<string, unknown>): SqlRow {
  const normalised: SqlRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === null || typeof value === 'number' || typeof value === 'bigint')
      normalised[column] = value;
    else if (typeof value === 'string')
      normalised[column] = BIGINT_COLUMNS.has(column) ? BigInt(value) : value;
    else throw new TypeError(`column ${column}: unexpected ${typeof value} from PostgreSQL`);
  }
  return normalised;
}

export function generationQueries(t: PgTableNames) {
  return {
    claimById: `SELECT * FROM ${t.claims} WHERE claim_id = $1`,
    applicantByUscc: `SELECT * FROM ${t.applicants} WHERE uscc = $1`,
    findApplicants: `SELECT * FROM ${t.applicants} WHERE strpos(name, $1) > 0 ORDER BY name, uscc LIMIT $2`,
    claimsOfApplicant: `SELECT * FROM ${t.claims} WHERE applicant = $1 ORDER BY submitted_position`,
    // DISTINCT ON keeps, per cap, the first row in (cap_id, position DESC) order: its latest version.
    latestCapsOfApplicant: `SELECT DISTINCT ON (cap_id) * FROM ${t.capVersions} WHERE applicant = $1 ORDER BY cap_id, position DESC`,
    capsOfApplicantAsOf: `SELECT DISTINCT ON (cap_id) * FROM ${t.capVersions}
      WHERE applicant = $1 AND recorded_at_ms <= $2 ORDER BY cap_id, position DESC`,
    // Per bucket key, the latest version at asOf: one pass over the keys' versions.
    fiscalAsOf: `SELECT DISTINCT ON (v.funder, v.month, v.clause) v.* FROM ${t.fiscalBuckets} b
      JOIN ${t.fiscalVersions} v ON v.funder = b.funder AND v.month = b.month AND v.clause = b.clause
      WHERE b.month <= $1 AND ($2::text IS NULL OR b.funder = $2) AND v.recorded_at_ms <= $3
      ORDER BY v.funder, v.month, v.clause, v.recorded_at_ms DESC, v.position DESC`,
    audit: `SELECT * FROM ${t.audit} WHERE claim_id = $1 ORDER BY position`,
    awards: `SELECT * FROM ${t.awards} WHERE ($1::text IS NULL OR applicant = $1) AND ($2::text IS NULL OR program_code = $2)
      ORDER BY applicant, program_code, position`,
  };
}

export type GenerationQueries = ReturnType<typeof generationQueries>;

/** The claim queue: optional filters, keyset paging on the submission position, one row more than asked. */
export function listClaimsSql(
  table: string,
  query: ClaimListQuery,
): { sql: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (column: string, operator: string, value: SqlValue): void => {
    params.push(value);
    conditions.push(`${column} ${operator} $${params.length}`);
  };
  if (query.status !== undefined) add('status', '=', query.status);
  if (query.applicant !== undefined) add('applicant', '=', query.applicant);
  if (query.programCode !== undefined) add('program_code', '=', query.programCode);
  if (query.supportYear !== undefined) add('support_year', '=', query.supportYear);
  if (query.afterSubmittedPosition !== undefined)
    add('submitted_position', '>', query.afterSubmittedPosition);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  params.push(query.limit + 1);
  return {
    sql: `SELECT * FROM ${table} ${where} ORDER BY submitted_position LIMIT $${params.length}`,
    params,
  };
}
