/**
 * The one place that knows how SQLite and PostgreSQL differ for the read models (docs/decisions.md,
 * "One SQL layer"): placeholders, column types, the clustered-table hint, substring search, and how a
 * batch of rows is inserted. Everything else (DDL, queries, upserts, the dump) is written once, in
 * ./generation-sql.ts, with `?` placeholders and the SQL both engines share (ON CONFLICT … DO UPDATE SET
 * … = excluded.…, row values, CAST(? AS TEXT)). Transactions stay with each store: better-sqlite3 runs
 * them synchronously, node-postgres on a pooled connection (../postgres/postgres-transaction.ts).
 */
import type { ColumnType } from '../model/read-model';

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** A statement written with `?` placeholders, in this dialect's placeholder syntax. */
  sql(text: string): string;
  /** The column type of a logical type (nullability and keys are added by the caller). */
  type(type: ColumnType): string;
  /** Appended to CREATE TABLE of a table stored clustered on its key. */
  readonly clusteredSuffix: string;
  /** A condition true when `column` contains the next parameter (exact substring). */
  contains(column: string): string;
  /**
   * An INSERT of many rows: SQLite runs one prepared statement per row (`VALUES (?, …)`), PostgreSQL one
   * statement per chunk of rows over column arrays (`unnest`). `conflict` is the shared ON CONFLICT clause.
   */
  insert(
    table: string,
    columns: readonly { name: string; type: ColumnType }[],
    conflict: string,
  ): string;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  sql: (text) => text,
  type: (type) => (type === 'text' || type === 'money' ? 'TEXT' : 'INTEGER'),
  clusteredSuffix: ' WITHOUT ROWID',
  contains: (column) => `instr(${column}, ?) > 0`,
  insert: (table, columns, conflict) =>
    `INSERT INTO ${table} (${columns.map((column) => column.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${conflict}`.trimEnd(),
};

/** Text sorts by bytes ("C"), as SQLite's BINARY does: paging, ORDER BY and the dump agree across stores. */
const PG_TYPES: Readonly<Record<ColumnType, string>> = {
  text: 'text COLLATE "C"',
  money: 'text COLLATE "C"',
  integer: 'integer',
  bigint: 'bigint',
  ms: 'bigint',
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  sql: (text) => {
    let index = 0;
    return text.replace(/\?/g, () => `$${(index += 1)}`);
  },
  type: (type) => PG_TYPES[type],
  clusteredSuffix: '',
  contains: (column) => `strpos(${column}, ?) > 0`,
  insert: (table, columns, conflict) => {
    const arrays = columns
      .map((column, index) => `$${index + 1}::${arrayType(column.type)}[]`)
      .join(', ');
    return `INSERT INTO ${table} (${columns.map((column) => column.name).join(', ')}) SELECT * FROM unnest(${arrays}) ${conflict}`.trimEnd();
  },
};

function arrayType(type: ColumnType): string {
  return type === 'text' || type === 'money' ? 'text' : PG_TYPES[type];
}
