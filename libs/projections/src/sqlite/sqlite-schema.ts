/**
 * SQLite DDL. One table set per generation, named `g{n}_*`, so a rebuild fills new tables beside the
 * live ones. Temporal tables are insert-only; their key ends in (ledger time, position), so "the version
 * valid at asOf" is one index seek. The shapes are plain relations that translate 1:1 to PostgreSQL
 * (WITHOUT ROWID becomes an ordinary table with that primary key).
 */

/** Bump when a row layout or an evolve rule changes: the projector then builds a new generation. */
export const PROJECTION_SCHEMA_VERSION = 2;

export const META_DDL = `
CREATE TABLE IF NOT EXISTS read_model_generations (
  generation     INTEGER PRIMARY KEY,
  schema_version INTEGER NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('building', 'active', 'retired')),
  position       INTEGER NOT NULL,
  watermark_ms   INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS read_model_generations_one_active ON read_model_generations (status) WHERE status = 'active';
`;

export function tableNames(generation: number) {
  if (!Number.isSafeInteger(generation) || generation < 1)
    throw new RangeError(`bad generation ${generation}`);
  const prefix = `g${generation}_`;
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

export type TableNames = ReturnType<typeof tableNames>;

const MONEY = 'TEXT NOT NULL';

export function generationDdl(generation: number): string {
  const t = tableNames(generation);
  return `
CREATE TABLE ${t.claims} (
  claim_id TEXT PRIMARY KEY, applicant TEXT NOT NULL, program_code TEXT NOT NULL, support_year INTEGER NOT NULL,
  subject_key TEXT, status TEXT NOT NULL, requested_amount ${MONEY}, approved_amount TEXT,
  countersign_required INTEGER NOT NULL, split_funding TEXT, split_district TEXT, split_group TEXT,
  split_city_rate TEXT, split_city_share TEXT, split_district_share TEXT, caps_json TEXT NOT NULL,
  paid_city ${MONEY}, paid_district ${MONEY}, cancelled_city ${MONEY}, cancelled_district ${MONEY},
  receivable_city ${MONEY}, receivable_district ${MONEY}, recovered_city ${MONEY}, recovered_district ${MONEY},
  submitted_position INTEGER NOT NULL, submitted_at TEXT NOT NULL,
  last_position INTEGER NOT NULL, last_recorded_at TEXT NOT NULL, last_event_type TEXT NOT NULL
);
CREATE UNIQUE INDEX ${t.claims}_queue ON ${t.claims} (submitted_position);
CREATE INDEX ${t.claims}_status ON ${t.claims} (status, submitted_position);
CREATE INDEX ${t.claims}_applicant ON ${t.claims} (applicant, submitted_position);
CREATE TABLE ${t.applicants} (
  uscc TEXT PRIMARY KEY, name TEXT NOT NULL, district TEXT NOT NULL, position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE ${t.awards} (
  applicant TEXT NOT NULL, program_code TEXT NOT NULL, claim_id TEXT NOT NULL, amount ${MONEY},
  status TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (applicant, program_code, claim_id)
) WITHOUT ROWID;
-- Keyed by the log position (each event belongs to at most one claim): rows are appended at the end of
-- the table, and only the small (claim_id, position) index takes random inserts.
CREATE TABLE ${t.audit} (
  position INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, revision INTEGER NOT NULL, stream_id TEXT NOT NULL,
  event_id TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL, hash TEXT NOT NULL, prev_hash TEXT NOT NULL, data_json TEXT NOT NULL
);
CREATE INDEX ${t.audit}_claim ON ${t.audit} (claim_id, position);
CREATE TABLE ${t.capVersions} (
  applicant TEXT NOT NULL, cap_id TEXT NOT NULL, position INTEGER NOT NULL, recorded_at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL, program_code TEXT NOT NULL, support_year INTEGER, subject_key TEXT, cap TEXT,
  granted ${MONEY}, paid ${MONEY},
  PRIMARY KEY (applicant, cap_id, position)
) WITHOUT ROWID;
CREATE TABLE ${t.fiscalBuckets} (
  funder TEXT NOT NULL, month TEXT NOT NULL, clause TEXT NOT NULL, PRIMARY KEY (funder, month, clause)
) WITHOUT ROWID;
CREATE TABLE ${t.fiscalVersions} (
  funder TEXT NOT NULL, month TEXT NOT NULL, clause TEXT NOT NULL, recorded_at_ms INTEGER NOT NULL, position INTEGER NOT NULL,
  committed ${MONEY}, disbursed ${MONEY}, cancelled ${MONEY}, receivable ${MONEY}, recovered ${MONEY},
  PRIMARY KEY (funder, month, clause, recorded_at_ms, position)
) WITHOUT ROWID;
`;
}

export function dropGenerationDdl(generation: number): string {
  return Object.values(tableNames(generation))
    .map((table) => `DROP TABLE IF EXISTS ${table};`)
    .join('\n');
}
