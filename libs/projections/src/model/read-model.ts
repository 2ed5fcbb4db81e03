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
 * models (a 2-digit decimal string, never a float) and numeric(18,2) in the reporting views.
 */
export type ColumnType = 'text' | 'money' | 'integer' | 'bigint';

export interface ColumnDefinition<Row> {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  readonly value: (row: Row) => SqlValue;
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
  text(column: string): string;
  textOrNull(column: string): string | null;
  int(column: string): number;
  intOrNull(column: string): number | null;
  big(column: string): bigint;
}

/** A key table: one row per key of a versioned table, so "the version at asOf" is one seek per key. */
export interface KeyTableDefinition {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
}

export interface ReadModelDefinition<Name extends string = string, Row = unknown> {
  /** Logical name: the dump's table label, the batch's and the in-memory model's key. */
  readonly name: Name;
  /** SQL table name without the generation prefix (g{n}_{table}). */
  readonly table: string;
  /** In table order, which is the dump's column order. */
  readonly columns: readonly ColumnDefinition<Row>[];
  /** Primary key: the dump's order and the upsert's conflict target. */
  readonly key: readonly string[];
  readonly write: WriteMode;
  /** SQLite stores the table clustered on its key (WITHOUT ROWID): small rows read by key. */
  readonly clustered: boolean;
  readonly indexes?: readonly IndexDefinition[];
  /** Optional key table, created and dumped just before this table. */
  readonly keyTable?: KeyTableDefinition;
  keyOf(row: Row): string;
  fromRow(row: RowReader): Row;
  /** Whether the model reads this event at all (cheap; evolve may still return no rows). */
  canHandle(event: LedgerRecord): boolean;
  /** The rows the event produces: the new current row(s) or new version(s). Pure. */
  evolve(step: ProjectionStep): readonly Row[];
}

/** Keeps the literal name and the row type of a definition (so the registry can derive its types). */
export function defineReadModel<Row>() {
  return <Name extends string>(definition: ReadModelDefinition<Name, Row>) => definition;
}

/** Shorthand for a column list: [name, type, value] or [name, type, value, 'null'] for a nullable one. */
export function columns<Row>(
  ...list: ReadonlyArray<
    | readonly [string, ColumnType, (row: Row) => SqlValue]
    | readonly [string, ColumnType, (row: Row) => SqlValue, 'null']
  >
): ColumnDefinition<Row>[] {
  return list.map(([name, type, value, nullable]) => ({
    name,
    type,
    value,
    nullable: nullable === 'null',
  }));
}

/** A key of several parts, as the in-memory model sorts and the batch builder de-duplicates them. */
export function compositeKey(...parts: readonly (string | bigint | number)[]): string {
  return parts.join('|');
}

export function rowReader(row: Readonly<Record<string, unknown>>): RowReader {
  const text = (column: string): string => {
    const value = row[column];
    if (typeof value !== 'string')
      throw new TypeError(`column ${column}: expected text, got ${typeof value}`);
    return value;
  };
  const big = (column: string): bigint => {
    const value = row[column];
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return BigInt(value);
    throw new TypeError(`column ${column}: expected an integer`);
  };
  return {
    text,
    textOrNull: (column) => (row[column] === null ? null : text(column)),
    big,
    int: (column) => Number(big(column)),
    intOrNull: (column) => (row[column] === null ? null : Number(big(column))),
  };
}
