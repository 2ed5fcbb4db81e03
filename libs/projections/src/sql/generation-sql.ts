/**
 * The SQL of one read-model generation, written once for both stores from the registered definitions
 * (../model/registry.ts): table names, DDL, batch writes, reader queries and the canonical dump. One table
 * set per generation (`g{n}_*`), so a rebuild fills new tables beside the live ones (docs/architecture.md
 * §5); temporal tables are insert-only and keyed (…, ledger time, position), so "the version valid at
 * asOf" is one index seek. Dialect differences live in ./dialect.ts only.
 */
import { tableOf, type ColumnType, type SqlValue } from '../model/read-model';
import { columnsOf, encode, READ_MODELS, type RowChanges } from '../model/registry';
import type { ApplicantSearch } from '../model/applicants';
import type {
  AuditTrailQuery,
  CapsPageQuery,
  ClaimListQuery,
  ReadStoreReader,
} from '../store/read-store';
import type { Dialect } from './dialect';

/** Bump when a row layout or an evolve rule changes: the projector then builds a new generation. */
export const PROJECTION_SCHEMA_VERSION = 3;

interface PhysicalColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/** A table of a generation: a model's own table, or the key table a model asks for. */
export interface PhysicalTable {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly PhysicalColumn[];
  readonly key: readonly string[];
  readonly clustered: boolean;
  readonly conflict: 'update' | 'ignore' | 'none';
  readonly indexes: NonNullable<(typeof READ_MODELS)[number]['indexes']>;
  /** The SQL values of each row a batch writes to this table. */
  rowsOf(changes: RowChanges): SqlValue[][];
}

/** Every table of a generation in creation and dump order (a key table just before its model's table). */
export const GENERATION_TABLES: readonly PhysicalTable[] = READ_MODELS.flatMap(
  (model): PhysicalTable[] => {
    const modelColumns = columnsOf(model);
    const own: PhysicalTable = {
      name: model.name,
      table: tableOf(model),
      columns: modelColumns,
      key: modelColumns.filter((column) => column.key).map((column) => column.name),
      clustered: model.clustered === true,
      conflict: model.write === 'upsert' ? 'update' : 'none',
      indexes: model.indexes ?? [],
      rowsOf: (changes) =>
        (changes[model.name] as readonly unknown[]).map((row) => encode(model, row)),
    };
    const keyTable = model.keyTable;
    if (keyTable === undefined) return [own];
    const keyColumns = keyTable.columns.map((name) => {
      const column = modelColumns.find((candidate) => candidate.name === name);
      if (column === undefined) throw new Error(`${model.name}: key table column ${name} unknown`);
      return column;
    });
    const keyIndexes = keyColumns.map((column) => modelColumns.indexOf(column));
    return [
      {
        name: keyTable.name,
        table: tableOf(keyTable),
        columns: keyColumns,
        key: keyTable.columns,
        clustered: true,
        conflict: 'ignore',
        indexes: [],
        // Each key once per batch; the store's ON CONFLICT DO NOTHING keeps it once per generation.
        rowsOf: (changes) => {
          const keys = new Map<string, SqlValue[]>();
          for (const values of own.rowsOf(changes)) {
            const key = keyIndexes.map((index) => values[index] ?? null);
            keys.set(key.join('\u0000'), key);
          }
          return [...keys.values()];
        },
      },
      own,
    ];
  },
);

export type TableName = (typeof READ_MODELS)[number]['name'] | 'fiscalBuckets';
export type TableNames = Readonly<Record<TableName, string>>;

/** The tables of a generation by logical name; `schema` qualifies them (PostgreSQL). */
export function tableNames(generation: number, schema?: string): TableNames {
  if (!Number.isSafeInteger(generation) || generation < 1)
    throw new RangeError(`bad generation ${generation}`);
  const prefix = schema === undefined ? `g${generation}_` : `"${schema}".g${generation}_`;
  return Object.fromEntries(
    GENERATION_TABLES.map((table) => [table.name, `${prefix}${table.table}`]),
  ) as unknown as TableNames;
}

const META_TABLE = 'read_model_generations';

/** The generations table: one row per generation with its status and checkpoint. */
export function metaTableName(schema?: string): string {
  return schema === undefined ? META_TABLE : `"${schema}".${META_TABLE}`;
}

export function metaDdl(dialect: Dialect, schema?: string): string[] {
  const meta = metaTableName(schema);
  return [
    `CREATE TABLE IF NOT EXISTS ${meta} (
      generation     ${dialect.type('integer')} PRIMARY KEY,
      schema_version ${dialect.type('integer')} NOT NULL,
      status         ${dialect.type('text')} NOT NULL CHECK (status IN ('building', 'active', 'retired')),
      position       ${dialect.type('bigint')} NOT NULL,
      watermark_ms   ${dialect.type('bigint')} NOT NULL
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS read_model_generations_one_active ON ${meta} (status) WHERE status = 'active'`,
  ];
}

/**
 * Bulk load (issue 13): a generation being built from position 0 is written but not read, so the indexes
 * no write needs are created at the switch (`activate`) instead of being maintained row by row. Kept from
 * the start: unique indexes (they constrain the writes) and those led by `applicant`, which the runner's
 * loadApplicantWithoutClaims reads when an evicted applicant comes back (runner/runner-state.ts).
 */
export interface GenerationDdlOptions {
  readonly bulkLoad?: boolean;
}

function deferrable(index: TableIndex): boolean {
  return index.unique !== true && index.columns[0] !== 'applicant';
}

type TableIndex = (typeof GENERATION_TABLES)[number]['indexes'][number];

function indexesOf(dialect: Dialect, table: (typeof GENERATION_TABLES)[number]): TableIndex[] {
  return table.indexes.filter(
    (index) => dialect.name === 'postgres' || index.reportingOnly !== true,
  );
}

function indexDdl(
  generation: number,
  table: (typeof GENERATION_TABLES)[number],
  name: string,
  index: TableIndex,
  ifNotExists: boolean,
): string {
  return `CREATE ${index.unique === true ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}g${generation}_${table.table}_${index.name} ON ${name} (${index.columns.join(', ')})`;
}

/**
 * The indexes a bulk-loaded generation left out, as idempotent DDL: `activate` runs it in the switch's
 * transaction, a no-op for a generation created with every index.
 */
export function deferredIndexDdl(dialect: Dialect, generation: number, schema?: string): string[] {
  const t = tableNames(generation, schema);
  return GENERATION_TABLES.flatMap((table) =>
    indexesOf(dialect, table)
      .filter(deferrable)
      .map((index) => indexDdl(generation, table, t[table.name as TableName], index, true)),
  );
}

export function generationDdl(
  dialect: Dialect,
  generation: number,
  schema?: string,
  options: GenerationDdlOptions = {},
): string[] {
  const t = tableNames(generation, schema);
  return GENERATION_TABLES.flatMap((table) => {
    const singleKey = table.key.length === 1 ? table.key[0] : undefined;
    const columns = table.columns.map(
      (column) =>
        `${column.name} ${dialect.type(column.type)}${column.name === singleKey ? ' PRIMARY KEY' : column.nullable ? '' : ' NOT NULL'}`,
    );
    if (singleKey === undefined) columns.push(`PRIMARY KEY (${table.key.join(', ')})`);
    const name = t[table.name as TableName];
    return [
      `CREATE TABLE ${name} (${columns.join(', ')})${table.clustered ? dialect.clusteredSuffix : ''}`,
      ...indexesOf(dialect, table)
        .filter((index) => options.bulkLoad !== true || !deferrable(index))
        .map((index) => indexDdl(generation, table, name, index, false)),
    ];
  });
}

export function dropGenerationDdl(generation: number, schema?: string): string[] {
  return Object.values(tableNames(generation, schema)).map(
    (table) => `DROP TABLE IF EXISTS ${table}`,
  );
}

/** One INSERT per table that a batch writes to, with the rows' values in column order. */
export interface TableWrite {
  readonly sql: string;
  readonly rows: readonly SqlValue[][];
  readonly columns: number;
  /**
   * For an insert-only table (no ON CONFLICT): the table and its columns, so that a store may write the
   * rows with a bulk path that inserts exactly the same (PostgreSQL's COPY, issue 13).
   */
  readonly plainInsert?: { readonly table: string; readonly columns: readonly string[] };
}

export function batchWrites(dialect: Dialect, t: TableNames, changes: RowChanges): TableWrite[] {
  return GENERATION_TABLES.map((table) => {
    const updates = table.columns
      .filter((column) => !table.key.includes(column.name))
      .map((column) => `${column.name} = excluded.${column.name}`)
      .join(', ');
    const conflict =
      table.conflict === 'update'
        ? `ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET ${updates}`
        : table.conflict === 'ignore'
          ? `ON CONFLICT (${table.key.join(', ')}) DO NOTHING`
          : '';
    const name = t[table.name as TableName];
    return {
      sql: dialect.insert(name, table.columns, conflict),
      rows: table.rowsOf(changes),
      columns: table.columns.length,
      ...(table.conflict === 'none'
        ? { plainInsert: { table: name, columns: table.columns.map((column) => column.name) } }
        : {}),
    };
  }).filter((write) => write.rows.length > 0);
}

/** A statement in the dialect's placeholders, and its parameters in order. */
export interface SqlQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** "Now" for asOf: every version recorded so far. */
export const LEDGER_TIME_MAX_MS = Number.MAX_SAFE_INTEGER;
const MONTH_MAX = '9999-12';

/**
 * The reader queries of a generation, written once for both stores: each takes the port's arguments and
 * gives the statement and its parameters in placeholder order (same filters, same order of rows).
 */
export function readerQueries(dialect: Dialect, t: TableNames) {
  const sql = {
    claimById: `SELECT * FROM ${t.claims} WHERE claim_id = ?`,
    claimsOfApplicant: `SELECT * FROM ${t.claims} WHERE applicant = ? ORDER BY submitted_position`,
    applicantByUscc: `SELECT * FROM ${t.applicants} WHERE uscc = ?`,
    findApplicants: `SELECT * FROM ${t.applicants} WHERE ${dialect.contains('name')} ORDER BY name, uscc LIMIT ?`,
    // Per cap, its latest version: MAX over the key's prefix is one index seek.
    latestCaps: `SELECT v.* FROM ${t.capVersions} v WHERE v.applicant = ?
         AND v.position = (SELECT MAX(w.position) FROM ${t.capVersions} w
                           WHERE w.applicant = v.applicant AND w.cap_id = v.cap_id)
       ORDER BY v.cap_id`,
    // Per cap, the version with the highest position recorded by asOf.
    caps: `SELECT v.* FROM ${t.capVersions} v WHERE v.applicant = ?
         AND v.position = (SELECT MAX(w.position) FROM ${t.capVersions} w
                           WHERE w.applicant = v.applicant AND w.cap_id = v.cap_id AND w.recorded_at_ms <= ?)
       ORDER BY v.cap_id`,
    // The caps of every applicant, a page of keys at a time: the keys come from one walk of the
    // (applicant, cap_id, position) key grouped by cap, each with the highest position recorded by asOf.
    capsPageFirst: `SELECT v.* FROM ${t.capVersions} v JOIN (
         SELECT w.applicant, w.cap_id, MAX(w.position) AS latest FROM ${t.capVersions} w
          WHERE w.recorded_at_ms <= ?
          GROUP BY w.applicant, w.cap_id ORDER BY w.applicant, w.cap_id LIMIT ?) m
         ON v.applicant = m.applicant AND v.cap_id = m.cap_id AND v.position = m.latest
       ORDER BY v.applicant, v.cap_id`,
    capsPageAfter: `SELECT v.* FROM ${t.capVersions} v JOIN (
         SELECT w.applicant, w.cap_id, MAX(w.position) AS latest FROM ${t.capVersions} w
          WHERE (w.applicant, w.cap_id) > (?, ?) AND w.recorded_at_ms <= ?
          GROUP BY w.applicant, w.cap_id ORDER BY w.applicant, w.cap_id LIMIT ?) m
         ON v.applicant = m.applicant AND v.cap_id = m.cap_id AND v.position = m.latest
       ORDER BY v.applicant, v.cap_id`,
    claimCountsByStatus: `SELECT status, COUNT(*) AS claims FROM ${t.claims} GROUP BY status ORDER BY status`,
    // Per bucket key, its version at asOf: one backward index seek per key.
    fiscal: `SELECT v.* FROM ${t.fiscalBuckets} b JOIN ${t.fiscalVersions} v
         ON v.funder = b.funder AND v.month = b.month AND v.clause = b.clause
        AND (v.recorded_at_ms, v.position) = (SELECT w.recorded_at_ms, w.position FROM ${t.fiscalVersions} w
              WHERE w.funder = b.funder AND w.month = b.month AND w.clause = b.clause AND w.recorded_at_ms <= ?
              ORDER BY w.recorded_at_ms DESC, w.position DESC LIMIT 1)
       WHERE b.month <= ? AND (CAST(? AS TEXT) IS NULL OR b.funder = ?)
       ORDER BY b.funder, b.month, b.clause`,
    auditOfClaim: `SELECT * FROM ${t.audit} WHERE claim_id = ? ORDER BY position`,
    auditTrail: `SELECT * FROM ${t.audit} WHERE position > ? AND (CAST(? AS TEXT) IS NULL OR type = ?)
       ORDER BY position LIMIT ?`,
    awards: `SELECT * FROM ${t.awards} WHERE (CAST(? AS TEXT) IS NULL OR applicant = ?)
         AND (CAST(? AS TEXT) IS NULL OR program_code = ?)
       ORDER BY applicant, program_code, position`,
  };
  const query = (text: string, ...params: SqlValue[]): SqlQuery => ({
    sql: dialect.sql(text),
    params,
  });
  // An optional filter is given twice: CAST(? AS TEXT) IS NULL OR column = ?.
  const optional = (value: string | undefined): SqlValue[] => [value ?? null, value ?? null];
  return {
    claimById: (claimId: string) => query(sql.claimById, claimId),
    claimsOfApplicant: (applicant: string) => query(sql.claimsOfApplicant, applicant),
    applicantByUscc: (uscc: string) => query(sql.applicantByUscc, uscc),
    findApplicants: (search: ApplicantSearch) =>
      query(sql.findApplicants, search.nameContains, search.limit),
    caps: (applicant: string, asOfMs = LEDGER_TIME_MAX_MS) => query(sql.caps, applicant, asOfMs),
    latestCaps: (applicant: string) => query(sql.latestCaps, applicant),
    // One row more than asked tells whether a next page exists.
    capsPage: (filter: CapsPageQuery) =>
      filter.after === undefined
        ? query(sql.capsPageFirst, filter.asOfMs ?? LEDGER_TIME_MAX_MS, filter.limit + 1)
        : query(
            sql.capsPageAfter,
            filter.after.applicant,
            filter.after.capId,
            filter.asOfMs ?? LEDGER_TIME_MAX_MS,
            filter.limit + 1,
          ),
    claimCountsByStatus: () => query(sql.claimCountsByStatus),
    fiscal: (filter: FiscalFilter) =>
      query(
        sql.fiscal,
        filter.asOfMs ?? LEDGER_TIME_MAX_MS,
        filter.toMonth ?? MONTH_MAX,
        ...optional(filter.funder),
      ),
    auditOfClaim: (claimId: string) => query(sql.auditOfClaim, claimId),
    // One row more than asked tells whether a next page exists without a COUNT.
    auditTrail: (filter: AuditTrailQuery) =>
      query(sql.auditTrail, filter.afterPosition ?? 0n, ...optional(filter.type), filter.limit + 1),
    awards: (filter: AwardFilter) =>
      query(sql.awards, ...optional(filter.applicant), ...optional(filter.programCode)),
    listClaims: (filter: ClaimListQuery) => listClaimsQuery(dialect, t.claims, filter),
  };
}

export type ReaderQueries = ReturnType<typeof readerQueries>;
type FiscalFilter = Parameters<ReadStoreReader['fiscalBuckets']>[0];
type AwardFilter = Parameters<ReadStoreReader['oneTimeAwards']>[0];

/** The claim queue: optional filters, keyset paging on the submission position, one row more than asked. */
function listClaimsQuery(dialect: Dialect, table: string, filter: ClaimListQuery): SqlQuery {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue): void => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter.status !== undefined) add('status = ?', filter.status);
  if (filter.applicant !== undefined) add('applicant = ?', filter.applicant);
  if (filter.programCode !== undefined) add('program_code = ?', filter.programCode);
  if (filter.supportYear !== undefined) add('support_year = ?', filter.supportYear);
  if (filter.afterSubmittedPosition !== undefined)
    add('submitted_position > ?', filter.afterSubmittedPosition);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  params.push(filter.limit + 1);
  return {
    sql: dialect.sql(`SELECT * FROM ${table} ${where} ORDER BY submitted_position LIMIT ?`),
    params,
  };
}

/** Rows per page of the canonical dump (keyset paging: memory stays bounded on PostgreSQL). */
export const DUMP_PAGE_SIZE = 1000;

/**
 * The canonical dump of a generation (architecture invariant 6): every row of every table in
 * primary-key order, one line each: the logical table name (not g{n}_…, so two generations compare
 * equal), a tab, the JSON array of the row's values in column order with integers as decimal strings.
 * `page(sql, params)` runs a query and returns its rows as arrays; `after` is the last row's key, or
 * undefined for the first page.
 */
export function dumpPageSql(
  dialect: Dialect,
  t: TableNames,
  table: PhysicalTable,
  after: readonly unknown[] | undefined,
): string {
  const orderBy = table.key.join(', ');
  const where =
    after === undefined ? '' : `WHERE (${orderBy}) > (${table.key.map(() => '?').join(', ')})`;
  return dialect.sql(
    `SELECT * FROM ${t[table.name as TableName]} ${where} ORDER BY ${orderBy} LIMIT ${DUMP_PAGE_SIZE}`,
  );
}

/** The canonical text of one row: integers (bigint or number) as decimal strings, text as is, NULL. */
export function dumpLine(table: string, values: readonly unknown[]): string {
  return `${table}\t${JSON.stringify(values.map(canonicalValue))}`;
}

function canonicalValue(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new TypeError(`unexpected ${typeof value} in a read-model row`);
}

/**
 * Pages through every table of a generation in dump order and yields its lines. `page` runs one query;
 * the key columns' positions in a row are the table's column positions.
 */
export async function* dumpGenerationLines(
  dialect: Dialect,
  t: TableNames,
  page: (sql: string, params: readonly unknown[]) => Promise<readonly unknown[][]>,
): AsyncGenerator<string> {
  for (const table of GENERATION_TABLES) {
    const keyIndexes = table.key.map((key) =>
      table.columns.findIndex((column) => column.name === key),
    );
    let after: unknown[] | undefined;
    for (let count = 0; count < Number.MAX_SAFE_INTEGER; count += 1) {
      const rows = await page(dumpPageSql(dialect, t, table, after), after ?? []);
      for (const row of rows) yield dumpLine(table.name, row);
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < DUMP_PAGE_SIZE) break;
      after = keyIndexes.map((index) => last[index]);
    }
  }
}
