/**
 * A read model, declared once (docs/architecture.md §5, "Adding a read model"): its table (columns in
 * order, primary key, indexes, how rows are written), how a row is read back, which events it handles and
 * its pure evolve step. The runner, the batch builder, the in-memory model, the DDL and the queries of
 * both SQL dialects, the canonical dump and the verify comparison all iterate over the registered list
 * (./registry.ts) instead of naming the models one by one.
 */
import { getCatalog, type PolicyCatalog } from '@hz/policy';
import type { LedgerRecord } from './ledger-record';
import type { CapRow, ClaimSummary, FiscalBucket, ApplicantRow } from './rows';

/** A value as both drivers take and give it: text, integers (bigint for positions), NULL. */
export type SqlValue = string | number | bigint | null;

/**
 * Logical column types; ../sql/dialect.ts maps them to each dialect. `money` is text in the read
 * models (a 2-digit decimal string, never a float) and numeric(18,2) in the reporting views; `ms` is
 * epoch milliseconds (bigint in SQL, a number in the row); `bigint` a log position or revision.
 */
export type ColumnType = 'text' | 'money' | 'integer' | 'bigint' | 'ms';
const COLUMN_TYPES: readonly ColumnType[] = ['text', 'money', 'integer', 'bigint', 'ms'];

export interface ColumnDefinition {
  readonly name: string;
  /** Part of the primary key (in column order). */
  readonly key: boolean;
  /** The row's field: the column name in camelCase. */
  readonly field: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/**
 * The columns of a table from their declaration: 'name type, name type?, name type key, …' in table
 * order, where `?` marks a nullable column and `key` a primary-key column (the key is the key columns in
 * table order), e.g. 'uscc text key, name text, district text, position bigint'.
 */
export function parseColumns(declaration: string): ColumnDefinition[] {
  return declaration.split(',').map((item) => {
    const [name, typed, marker] = item.trim().split(/\s+/);
    const type = typed?.replace(/\?$/, '') as ColumnType;
    if (name === undefined || !COLUMN_TYPES.includes(type) || (marker ?? 'key') !== 'key')
      throw new Error(`bad column declaration: ${JSON.stringify(item)}`);
    const field = name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    return { name, field, type, nullable: typed?.endsWith('?') === true, key: marker === 'key' };
  });
}

/** The SQL table of a model: its name in snake_case (capVersions → cap_versions). */
export function tableOf(model: { readonly name: string }): string {
  return model.name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export interface IndexDefinition {
  /** The index is named g{n}_{table}_{name}. */
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique?: boolean;
  /** Only for the PostgreSQL reporting views' filters (docs/reporting.md); SQLite does not need it. */
  readonly reportingOnly?: boolean;
}

/**
 * How a batch writes the rows: `upsert` keeps one current row per key (the batch's last), `append` inserts
 * every version (temporal or log-like tables: never updated, docs/architecture.md §5).
 */
export type WriteMode = 'upsert' | 'append';

/** What an evolve step sees: the event, the current rows, and the claim it belongs to before and after. */
export interface ProjectionStep {
  readonly event: LedgerRecord;
  readonly view: ReadModelView;
  /** The claim the event belongs to (claims are evolved first: awards, caps and fiscal read them). */
  readonly claimId: string | undefined;
  readonly before: ClaimSummary | undefined;
  readonly after: ClaimSummary | undefined;
  /** The ledger-time watermark of the event (ledger-time.ts nextWatermarkMs). */
  readonly recordedAtMs: number;
  /** The policy catalog an event names (its policyId); `getCatalog` of @hz/policy unless a test injects one. */
  readonly catalogs: CatalogLookup;
}

export type CatalogLookup = (policyId: string) => PolicyCatalog | undefined;
export const DEFAULT_CATALOGS: CatalogLookup = getCatalog;

/** The current rows the evolve functions read (the in-memory model, or the runner's working set). */
export interface ReadModelView {
  claim(claimId: string): ClaimSummary | undefined;
  applicant(uscc: string): ApplicantRow | undefined;
  cap(applicant: string, capId: string): CapRow | undefined;
  bucket(funder: string, month: string, clause: string): FiscalBucket | undefined;
}

/** Reads a row's columns back, whatever the driver gave (SQLite safe integers, node-postgres strings). */
export interface RowReader {
  /** A column as its type says: text, a number (integer, ms) or a bigint, or null when nullable. */
  read(column: ColumnDefinition): SqlValue;
  text(column: string): string;
  textOrNull(column: string): string | null;
  int(column: string): number;
  intOrNull(column: string): number | null;
  big(column: string): bigint;
}

/** A key table: one row per key of a versioned table, so "the version at asOf" is one seek per key. */
export interface KeyTableDefinition {
  /** Logical name; the SQL table is g{n}_{name in snake_case}. */
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ReadModelDefinition<Name extends string = string, Row = unknown> {
  /** Logical name: the dump's table label, the batch's and the in-memory model's key. */
  readonly name: Name;
  /**
   * 'name type[?] [key], …' in table order, which is the dump's column order (see parseColumns); the key
   * columns are the primary key: the dump's order and the upsert's conflict target. The SQL table is
   * g{n}_{name in snake_case}.
   */
  readonly columns: string;
  readonly write: WriteMode;
  /** SQLite stores the table clustered on its key (WITHOUT ROWID): small rows read by key. */
  readonly clustered?: true;
  readonly indexes?: readonly IndexDefinition[];
  /** Optional key table, created and dumped just before this table. */
  readonly keyTable?: KeyTableDefinition;
  /**
   * Only for a row that is not flat (one field per column, named as the column in camelCase): its
   * column values in table order, and the row read back.
   */
  readonly codec?: {
    values(row: Row): SqlValue[];
    fromRow(row: RowReader): Row;
  };
  keyOf(row: Row): string;
  /** Whether the model reads this event at all (cheap; evolve may still return no rows). */
  canHandle(event: LedgerRecord): boolean;
  /** The rows the event produces: the new current row(s) or new version(s). Pure. */
  evolve(step: ProjectionStep): readonly Row[];
}

/** Keeps the literal name and the row type of a definition (so the registry can derive its types). */
export function defineReadModel<Row>() {
  return <Name extends string>(definition: ReadModelDefinition<Name, Row>) => definition;
}

/** A key of several parts, as the in-memory model sorts and the batch builder de-duplicates them. */
export function compositeKey(...parts: readonly (string | bigint | number)[]): string {
  return parts.join('|');
}

/** The SQL values of a row in column order. */
export function rowValues<Row>(
  model: ReadModelDefinition<string, Row>,
  columns: readonly ColumnDefinition[],
  row: Row,
): SqlValue[] {
  if (model.codec) return model.codec.values(row);
  const fields = row as Readonly<Record<string, SqlValue>>;
  // A loop, not columns.map: no closure call per column of every row a batch writes (issue 13).
  const values: SqlValue[] = [];
  for (const column of columns) values.push(fields[column.field] ?? null);
  return values;
}

/** A row read back from the store (whatever the driver: see rowReader). */
export function rowFrom<Row>(
  model: ReadModelDefinition<string, Row>,
  columns: readonly ColumnDefinition[],
  row: RowReader,
): Row {
  if (model.codec) return model.codec.fromRow(row);
  return Object.fromEntries(
    columns.map((column) => [column.field, row.read(column)]),
  ) as unknown as Row;
}

export function rowReader(row: Readonly<Record<string, unknown>>): RowReader {
  return columnReader((column) => row[column]);
}

/**
 * A row the driver gave as an array of values (better-sqlite3's raw mode), with each column name's index:
 * read as rowReader reads the object with those names (a name given twice is its last column, as in that
 * object). The SQLite store reads this way: the driver skips building an object per row (issue 13).
 */
export function arrayRowReader(
  values: readonly unknown[],
  indexes: ReadonlyMap<string, number>,
): RowReader {
  return columnReader((column) => {
    const index = indexes.get(column);
    return index === undefined ? undefined : values[index];
  });
}

/** The column indexes of a raw row, by name: the last column of a name given twice. */
export function columnIndexes(names: readonly string[]): ReadonlyMap<string, number> {
  return new Map(names.map((name, index) => [name, index]));
}

function columnReader(value: (column: string) => unknown): RowReader {
  const text = (column: string): string => {
    const read = value(column);
    if (typeof read !== 'string')
      throw new TypeError(`column ${column}: expected text, got ${typeof read}`);
    return read;
  };
  const big = (column: string): bigint => {
    const read = value(column);
    if (typeof read === 'bigint') return read;
    if (typeof read === 'number' && Number.isSafeInteger(read)) return BigInt(read);
    if (typeof read === 'string' && /^-?[0-9]+$/.test(read)) return BigInt(read);
    throw new TypeError(`column ${column}: expected an integer`);
  };
  const int = (column: string): number => Number(big(column));
  return {
    read: (column) => {
      if (column.nullable && value(column.name) === null) return null;
      if (column.type === 'bigint') return big(column.name);
      return column.type === 'integer' || column.type === 'ms'
        ? int(column.name)
        : text(column.name);
    },
    text,
    textOrNull: (column) => (value(column) === null ? null : text(column)),
    big,
    int,
    intOrNull: (column) => (value(column) === null ? null : Number(big(column))),
  };
}
