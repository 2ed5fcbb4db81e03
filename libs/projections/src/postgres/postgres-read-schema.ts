/**
 * PostgreSQL DDL of the read models: the SQLite layout (../sqlite/sqlite-schema.ts) column for column,
 * in the same order, inside one named schema. Text columns use the "C" collation so that keys sort by
 * bytes exactly as SQLite's BINARY collation does: paging, `ORDER BY` and the canonical dump then agree
 * between the two adapters, whatever the database's default locale.
 */

/** Lower-case identifiers only, so names need no quoting surprises. */
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

export const POSTGRES_READ_DEFAULT_SCHEMA = 'read_models';

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema))
    throw new RangeError(
      `schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME_PATTERN.source}`,
    );
  return schema;
}

export function metaTable(schema: string): string {
  return `"${schema}".read_model_generations`;
}

export function metaDdl(schema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS ${metaTable(schema)} (
      generation     integer PRIMARY KEY,
      schema_version integer NOT NULL,
      status         text    NOT NULL CHECK (status IN ('building', 'active', 'retired')),
      position       bigint  NOT NULL,
      watermark_ms   bigint  NOT NULL
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS read_model_generations_one_active ON ${metaTable(schema)} (status) WHERE status = 'active'`,
  ];
}

export function pgTableNames(schema: string, generation: number) {
  if (!Number.isSafeInteger(generation) || generation < 1)
    throw new RangeError(`bad generation ${generation}`);
  const prefix = `"${schema}".g${generation}_`;
  return {
    claims: `${prefix}claims`,
    applicants: `${prefix}applicants`,
    awards: `${prefix}awards`,
    audit: `${prefix}audit`,
    capVersions: `${prefix}cap_versions`,
    fiscalVersions: `${prefix}fiscal_versions`,
    fiscalBuckets: `${prefix}fiscal_buckets`,
  } as const;
}

export type PgTableNames = ReturnType<typeof pgTableNames>;

const TEXT = 'text COLLATE "C"';
const MONEY = `${TEXT} NOT NULL`;
const KEY = `${TEXT} NOT NULL`;

export function generationDdl(schema: string, generation: number): string[] {
  const t = pgTableNames(schema, generation);
  const index = (name: string): string => `g${generation}_${name}`;
  return [
    `CREATE TABLE ${t.applicants} (uscc ${TEXT} PRIMARY KEY, name ${KEY}, district ${KEY}, position bigint NOT NULL)`,
    `CREATE INDEX ${index('applicants_district')} ON ${t.applicants} (district)`,
    `CREATE TABLE ${t.claims} (
      claim_id ${TEXT} PRIMARY KEY, applicant ${KEY}, program_code ${KEY}, support_year integer NOT NULL,
      subject_key ${TEXT}, status ${KEY}, requested_amount ${MONEY}, approved_amount ${TEXT},
      countersign_required integer NOT NULL, split_funding ${TEXT}, split_district ${TEXT}, split_group ${TEXT},
      split_city_rate ${TEXT}, split_city_share ${TEXT}, split_district_share ${TEXT}, caps_json ${KEY},
      paid_city ${MONEY}, paid_district ${MONEY}, cancelled_city ${MONEY}, cancelled_district ${MONEY},
      receivable_city ${MONEY}, receivable_district ${MONEY}, recovered_city ${MONEY}, recovered_district ${MONEY},
      submitted_position bigint NOT NULL, submitted_at ${KEY},
      last_position bigint NOT NULL, last_recorded_at ${KEY}, last_event_type ${KEY})`,
    `CREATE UNIQUE INDEX ${index('claims_queue')} ON ${t.claims} (submitted_position)`,
    `CREATE INDEX ${index('claims_status')} ON ${t.claims} (status, submitted_position)`,
    `CREATE INDEX ${index('claims_applicant')} ON ${t.claims} (applicant, submitted_position)`,
    // The usual filters of the reporting views (docs/reporting.md): by program and status, by district, by event type.
    `CREATE INDEX ${index('claims_program')} ON ${t.claims} (program_code, status)`,
    `CREATE TABLE ${t.awards} (
      applicant ${KEY}, program_code ${KEY}, claim_id ${KEY}, amount ${MONEY}, status ${KEY}, position bigint NOT NULL,
      PRIMARY KEY (applicant, program_code, claim_id))`,
    // Keyed by the log position, as in SQLite: each event belongs to at most one claim.
    `CREATE TABLE ${t.audit} (
      position bigint PRIMARY KEY, claim_id ${KEY}, revision bigint NOT NULL, stream_id ${KEY}, event_id ${KEY}, type ${KEY},
      actor ${KEY}, role ${KEY}, occurred_at ${KEY}, recorded_at ${KEY}, hash ${KEY}, prev_hash ${KEY}, data_json ${KEY})`,
    `CREATE INDEX ${index('audit_claim')} ON ${t.audit} (claim_id, position)`,
    `CREATE INDEX ${index('audit_type')} ON ${t.audit} (type, position)`,
    `CREATE TABLE ${t.capVersions} (
      applicant ${KEY}, cap_id ${KEY}, position bigint NOT NULL, recorded_at_ms bigint NOT NULL, kind ${KEY},
      program_code ${KEY}, support_year integer, subject_key ${TEXT}, cap ${TEXT}, granted ${MONEY}, paid ${MONEY},
      PRIMARY KEY (applicant, cap_id, position))`,
    `CREATE TABLE ${t.fiscalBuckets} (funder ${KEY}, month ${KEY}, clause ${KEY}, PRIMARY KEY (funder, month, clause))`,
    `CREATE TABLE ${t.fiscalVersions} (
      funder ${KEY}, month ${KEY}, clause ${KEY}, recorded_at_ms bigint NOT NULL, position bigint NOT NULL,
      committed ${MONEY}, disbursed ${MONEY}, cancelled ${MONEY}, receivable ${MONEY}, recovered ${MONEY},
      PRIMARY KEY (funder, month, clause, recorded_at_ms, position))`,
  ];
}

export function dropGenerationDdl(schema: string, generation: number): string[] {
  return Object.values(pgTableNames(schema, generation)).map(
    (table) => `DROP TABLE IF EXISTS ${table}`,
  );
}

/** Per table: the primary-key columns (dump order and keyset paging). */
export const TABLE_KEYS = {
  claims: ['claim_id'],
  applicants: ['uscc'],
  awards: ['applicant', 'program_code', 'claim_id'],
  audit: ['position'],
  capVersions: ['applicant', 'cap_id', 'position'],
  fiscalBuckets: ['funder', 'month', 'clause'],
  fiscalVersions: ['funder', 'month', 'clause', 'recorded_at_ms', 'position'],
} as const satisfies Record<keyof PgTableNames, readonly string[]>;

/** The PostgreSQL type of every non-text column (for the unnest arrays of batch inserts); the rest are text. */
export const NON_TEXT_COLUMN_TYPES: Readonly<Record<string, string>> = {
  support_year: 'integer',
  countersign_required: 'integer',
  submitted_position: 'bigint',
  last_position: 'bigint',
  position: 'bigint',
  revision: 'bigint',
  recorded_at_ms: 'bigint',
};
