/** The claim queue query: optional filters, keyset paging on the submission position. */
import type { ClaimListQuery } from '../store/read-store';
import type { SqlValue } from './sqlite-rows';

export function listClaimsSql(
  table: string,
  query: ClaimListQuery,
): { sql: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue) => {
    conditions.push(condition);
    params.push(value);
  };
  if (query.status !== undefined) add('status = ?', query.status);
  if (query.applicant !== undefined) add('applicant = ?', query.applicant);
  if (query.programCode !== undefined) add('program_code = ?', query.programCode);
  if (query.supportYear !== undefined) add('support_year = ?', query.supportYear);
  if (query.afterSubmittedPosition !== undefined)
    add('submitted_position > ?', query.afterSubmittedPosition);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  // One row more than asked tells whether a next page exists without a COUNT.
  params.push(query.limit + 1);
  return { sql: `SELECT * FROM ${table} ${where} ORDER BY submitted_position LIMIT ?`, params };
}
