/** The prepared statements of one generation's table set, created once and reused for every batch and query. */
import type { Database, Statement } from 'better-sqlite3';
import { tableNames } from './sqlite-schema';
import { CLAIM_COLUMNS } from './sqlite-rows';

export interface GenerationStatements {
  readonly upsertClaim: Statement;
  readonly upsertAward: Statement;
  readonly upsertApplicant: Statement;
  readonly applicantByUscc: Statement;
  readonly findApplicants: Statement;
  readonly insertAudit: Statement;
  readonly insertCap: Statement;
  readonly insertBucket: Statement;
  readonly insertFiscal: Statement;
  readonly claimById: Statement;
  readonly claimsOfApplicant: Statement;
  readonly latestCapsOfApplicant: Statement;
  readonly capsOfApplicantAsOf: Statement;
  readonly bucketKeys: Statement;
  readonly bucketKeysOfFunder: Statement;
  readonly fiscalVersionAsOf: Statement;
  readonly audit: Statement;
  readonly awards: Statement;
  readonly table: ReturnType<typeof tableNames>;
}

export function prepareGeneration(db: Database, generation: number): GenerationStatements {
  const t = tableNames(generation);
  const claimPlaceholders = CLAIM_COLUMNS.map(() => '?').join(', ');
  const claimUpdates = CLAIM_COLUMNS.filter((c) => c !== 'claim_id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  const read = (sql: string): Statement => db.prepare(sql).safeIntegers(true);
  return {
    table: t,
    upsertClaim: db.prepare(
      `INSERT INTO ${t.claims} (${CLAIM_COLUMNS.join(', ')}) VALUES (${claimPlaceholders}) ON CONFLICT (claim_id) DO UPDATE SET ${claimUpdates}`,
    ),
    upsertApplicant: db.prepare(
      `INSERT INTO ${t.applicants} (uscc, name, district, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, district = excluded.district, position = excluded.position`,
    ),
    applicantByUscc: read(`SELECT * FROM ${t.applicants} WHERE uscc = ?`),
    findApplicants: read(
      `SELECT * FROM ${t.applicants} WHERE instr(name, ?) > 0 ORDER BY name, uscc LIMIT ?`,
    ),
    upsertAward: db.prepare(
      `INSERT INTO ${t.awards} (applicant, program_code, claim_id, amount, status, position) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (applicant, program_code, claim_id) DO UPDATE SET amount = excluded.amount, status = excluded.status, position = excluded.position`,
    ),
    insertAudit: db.prepare(
      `INSERT INTO ${t.audit} (claim_id, position, revision, stream_id, event_id, type, actor, role, occurred_at, recorded_at, hash, prev_hash, data_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertCap: db.prepare(
      `INSERT INTO ${t.capVersions} (applicant, cap_id, position, recorded_at_ms, kind, program_code, support_year, subject_key, cap, granted, paid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertBucket: db.prepare(
      `INSERT INTO ${t.fiscalBuckets} (funder, month, clause) VALUES (?, ?, ?) ON CONFLICT (funder, month, clause) DO NOTHING`,
    ),
    insertFiscal: db.prepare(
      `INSERT INTO ${t.fiscalVersions} (funder, month, clause, recorded_at_ms, position, committed, disbursed, cancelled, receivable, recovered)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    claimById: read(`SELECT * FROM ${t.claims} WHERE claim_id = ?`),
    claimsOfApplicant: read(
      `SELECT * FROM ${t.claims} WHERE applicant = ? ORDER BY submitted_position`,
    ),
    latestCapsOfApplicant: read(
      `SELECT v.* FROM ${t.capVersions} v WHERE v.applicant = ?
         AND v.position = (SELECT MAX(w.position) FROM ${t.capVersions} w WHERE w.applicant = v.applicant AND w.cap_id = v.cap_id)
       ORDER BY v.cap_id`,
    ),
    capsOfApplicantAsOf: read(
      `SELECT v.* FROM ${t.capVersions} v WHERE v.applicant = ?
         AND v.position = (SELECT MAX(w.position) FROM ${t.capVersions} w
                           WHERE w.applicant = v.applicant AND w.cap_id = v.cap_id AND w.recorded_at_ms <= ?)
       ORDER BY v.cap_id`,
    ),
    bucketKeys: read(
      `SELECT funder, month, clause FROM ${t.fiscalBuckets} WHERE month <= ? ORDER BY funder, month, clause`,
    ),
    bucketKeysOfFunder: read(
      `SELECT funder, month, clause FROM ${t.fiscalBuckets} WHERE funder = ? AND month <= ? ORDER BY month, clause`,
    ),
    // One backward index seek per bucket: the key ends in (recorded_at_ms, position).
    fiscalVersionAsOf: read(
      `SELECT * FROM ${t.fiscalVersions} WHERE funder = ? AND month = ? AND clause = ? AND recorded_at_ms <= ?
       ORDER BY recorded_at_ms DESC, position DESC LIMIT 1`,
    ),
    audit: read(`SELECT * FROM ${t.audit} WHERE claim_id = ? ORDER BY position`),
    awards: read(
      `SELECT * FROM ${t.awards} WHERE (? IS NULL OR applicant = ?) AND (? IS NULL OR program_code = ?)
       ORDER BY applicant, program_code, position`,
    ),
  };
}
