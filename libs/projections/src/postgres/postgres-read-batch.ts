/**
 * Writes one batch's rows: one multi-row statement per table (unnest of column arrays), inside the
 * caller's transaction with the checkpoint. Rows reuse the SQLite adapter's parameter order, which is
 * also the PostgreSQL column order.
 */
import type { ClientBase } from 'pg';
import type { ProjectionBatch } from '../store/read-store';
import {
  applicantParams,
  auditParams,
  awardParams,
  capParams,
  claimParams,
  CLAIM_COLUMNS,
  fiscalParams,
  type SqlValue,
} from '../sqlite/sqlite-rows';
import { NON_TEXT_COLUMN_TYPES, type PgTableNames } from './postgres-read-schema';

const APPLICANT_COLUMNS = ['uscc', 'name', 'district', 'position'] as const;
const APPLICANT_UPSERT =
  'ON CONFLICT (uscc) DO UPDATE SET name = EXCLUDED.name, district = EXCLUDED.district, position = EXCLUDED.position';
const AWARD_COLUMNS = [
  'applicant',
  'program_code',
  'claim_id',
  'amount',
  'status',
  'position',
] as const;
const AUDIT_COLUMNS = [
  'claim_id',
  'position',
  'revision',
  'stream_id',
  'event_id',
  'type',
  'actor',
  'role',
  'occurred_at',
  'recorded_at',
  'hash',
  'prev_hash',
  'data_json',
] as const;
const CAP_COLUMNS = [
  'applicant',
  'cap_id',
  'position',
  'recorded_at_ms',
  'kind',
  'program_code',
  'support_year',
  'subject_key',
  'cap',
  'granted',
  'paid',
] as const;
const FISCAL_COLUMNS = [
  'funder',
  'month',
  'clause',
  'recorded_at_ms',
  'position',
  'committed',
  'disbursed',
  'cancelled',
  'receivable',
  'recovered',
] as const;

/** Rows per statement: bounds the size of one query's parameters however big a batch is. */
const ROWS_PER_STATEMENT_MAX = 5000;

const CLAIM_UPSERT = `ON CONFLICT (claim_id) DO UPDATE SET ${CLAIM_COLUMNS.filter(
  (column) => column !== 'claim_id',
)
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(', ')}`;
const AWARD_UPSERT =
  'ON CONFLICT (applicant, program_code, claim_id) DO UPDATE SET amount = EXCLUDED.amount, status = EXCLUDED.status, position = EXCLUDED.position';

export async function writeBatch(
  client: ClientBase,
  t: PgTableNames,
  batch: ProjectionBatch,
): Promise<void> {
  // An upsert statement may touch a key only once: keep each key's last row, as sequential upserts would.
  const claims = lastByKey(batch.claims, (claim) => claim.claimId).map(claimParams);
  const awards = lastByKey(
    batch.awards,
    (award) => `${award.applicant}\u0000${award.programCode}\u0000${award.claimId}`,
  ).map(awardParams);
  await insertRows(client, t.claims, CLAIM_COLUMNS, claims, CLAIM_UPSERT);
  await insertRows(
    client,
    t.applicants,
    APPLICANT_COLUMNS,
    lastByKey(batch.applicants, (applicant) => applicant.uscc).map(applicantParams),
    APPLICANT_UPSERT,
  );
  await insertRows(client, t.awards, AWARD_COLUMNS, awards, AWARD_UPSERT);
  await insertRows(client, t.audit, AUDIT_COLUMNS, batch.audit.map(auditParams), '');
  await insertRows(client, t.capVersions, CAP_COLUMNS, batch.caps.map(capParams), '');
  await insertRows(client, t.fiscalVersions, FISCAL_COLUMNS, batch.fiscal.map(fiscalParams), '');
  // The key table lists each (funder, month, clause) once, so an asOf query joins keys to their latest version.
  const buckets = lastByKey(
    batch.fiscal,
    (bucket) => `${bucket.funder}\u0000${bucket.month}\u0000${bucket.clause}`,
  ).map((bucket) => [bucket.funder, bucket.month, bucket.clause]);
  await insertRows(
    client,
    t.fiscalBuckets,
    ['funder', 'month', 'clause'],
    buckets,
    'ON CONFLICT (funder, month, clause) DO NOTHING',
  );
}

function lastByKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}

/** `columns` in the order of the row values (the SQLite adapter's parameter order); types by column name. */
async function insertRows(
  client: ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  conflict: string,
): Promise<void> {
  const arrays = columns
    .map((column, index) => `$${index + 1}::${NON_TEXT_COLUMN_TYPES[column] ?? 'text'}[]`)
    .join(', ');
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${arrays}) ${conflict}`;
  for (let offset = 0; offset < rows.length; offset += ROWS_PER_STATEMENT_MAX) {
    const chunk = rows.slice(offset, offset + ROWS_PER_STATEMENT_MAX);
    for (const row of chunk)
      if (row.length !== columns.length)
        throw new Error(`${table}: a row has ${row.length} values for ${columns.length} columns`);
    await client.query(
      sql,
      columns.map((_, column) => chunk.map((row) => row[column] ?? null)),
    );
  }
}
