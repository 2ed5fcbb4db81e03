/**
 * Canonical dump of a generation, line for line the format of ../sqlite/sqlite-dump.ts (logical table
 * name, tab, JSON array of the row's values in column order, integers as decimal strings), so a
 * PostgreSQL generation can be compared with another one, or with a SQLite generation of the same log.
 * Pages by primary key (keyset), so memory stays bounded however big the generation is.
 */
import type { Pool } from 'pg';
import { pgTableNames, TABLE_KEYS } from './postgres-read-schema';

const PAGE_SIZE = 1000;
/** Tables in the SQLite dump's order. */
const TABLE_ORDER = [
  'claims',
  'applicants',
  'awards',
  'audit',
  'capVersions',
  'fiscalBuckets',
  'fiscalVersions',
] as const;

export async function* dumpGeneration(
  pool: Pool,
  schema: string,
  generation: number,
): AsyncGenerator<string> {
  const tables = pgTableNames(schema, generation);
  for (const name of TABLE_ORDER) {
    const key = TABLE_KEYS[name];
    const orderBy = key.join(', ');
    let after: unknown[] | undefined;
    for (let page = 0; page < Number.MAX_SAFE_INTEGER; page += 1) {
      const where =
        after === undefined
          ? ''
          : `WHERE (${orderBy}) > (${key.map((_, index) => `$${index + 1}`).join(', ')})`;
      const result = await pool.query<unknown[]>({
        text: `SELECT * FROM ${tables[name]} ${where} ORDER BY ${orderBy} LIMIT ${PAGE_SIZE}`,
        values: after ?? [],
        rowMode: 'array',
      });
      const keyIndexes = key.map((column) =>
        result.fields.findIndex((field) => field.name === column),
      );
      for (const row of result.rows) yield `${name}\t${JSON.stringify(row.map(canonicalValue))}`;
      const last = result.rows[result.rows.length - 1];
      if (last === undefined || result.rows.length < PAGE_SIZE) break;
      after = keyIndexes.map((index) => last[index]);
    }
  }
}

/** As SQLite (safe integers) writes them: integers as decimal strings, text as is, NULL as null. */
function canonicalValue(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new TypeError(`unexpected ${typeof value} in a read-model row`);
}
