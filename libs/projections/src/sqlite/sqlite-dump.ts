/**
 * Canonical dump of a generation: every row of every table, in primary-key order, one line each. Two
 * generations built from the same log must give identical dumps (architecture invariant 6).
 */
import type Database from 'better-sqlite3';
import { tableNames } from './sqlite-schema';

const ORDER: Readonly<Record<keyof ReturnType<typeof tableNames>, string>> = {
  claims: 'claim_id',
  applicants: 'uscc',
  awards: 'applicant, program_code, claim_id',
  audit: 'position',
  capVersions: 'applicant, cap_id, position',
  fiscalBuckets: 'funder, month, clause',
  fiscalVersions: 'funder, month, clause, recorded_at_ms, position',
};

export function* dumpGeneration(db: Database.Database, generation: number): Generator<string> {
  const tables = tableNames(generation);
  for (const key of Object.keys(ORDER) as Array<keyof typeof ORDER>) {
    const statement = db
      .prepare(`SELECT * FROM ${tables[key]} ORDER BY ${ORDER[key]}`)
      .safeIntegers(true)
      .raw(true);
    for (const row of statement.iterate() as Iterable<unknown[]>) {
      // The table's logical name, not g{n}_…, so dumps of two generations compare equal.
      yield `${key}\t${JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`;
    }
  }
}
