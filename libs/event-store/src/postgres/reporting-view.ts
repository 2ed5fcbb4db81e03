/**
 * The reporting schema's shared pieces (docs/reporting.md): how a commented BI view is declared and
 * created, used by `reporting.events` here and by the read models' views
 * (libs/projections/src/postgres/postgres-reporting.ts), plus `reporting.events` itself: the event log as
 * jsonb. A view, so the stored `json` columns (the exact text the hash chain covers, see ./schema.ts)
 * stay as they are; jsonb is computed on read. jsonb refuses the `\u0000` escape: an event whose JSON
 * text contains it shows NULL there (its stored text is untouched). The event store creates the view
 * because only it knows its table; the read store creates the role and grants SELECT on the whole
 * reporting schema, and this grants too when the role exists. Beside it, `reporting.post_close_adjustments`:
 * one row per PostCloseAdjustmentRecorded (docs/operations.md "Period close"), typed, apart from the
 * obligations (issue 18).
 */
import type { PoolClient } from 'pg';
import type { SchemaNames } from './schema';

export const REPORTING_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;
export const REPORTING_ROLE = 'ledger_reporting';

/** One column of a reporting view: its SQL expression and its Chinese and English meaning. */
export interface ReportingColumn {
  readonly name: string;
  readonly expr: string;
  readonly zh: string;
  readonly en: string;
}

/**
 * A view's columns as a table, one column a line: `name | SQL expression | 中文 | English`. A line that
 * starts with `|` continues the line before it (long expressions). Interpolated values are taken as they
 * are, even when they hold line breaks or `|`.
 */
export function reportingColumns(
  strings: TemplateStringsArray,
  ...values: readonly (string | number)[]
): ReportingColumn[] {
  // Each interpolation becomes a numbered slot (private-use characters no SQL or text here contains).
  const slot = (index: number): string => `\uE000${index}\uE001`;
  const text = strings.reduce(
    (all, part, index) => all + part + (index < values.length ? slot(index) : ''),
    '',
  );
  const restore = (part: string): string =>
    part.trim().replace(/\uE000([0-9]+)\uE001/g, (_match, index: string) => {
      const value = values[Number(index)];
      return value === undefined ? '' : String(value);
    });
  const lines: string[] = [];
  for (const line of text.split('\n').map((item) => item.trim())) {
    if (line === '') continue;
    if (line.startsWith('|') && lines.length > 0) lines[lines.length - 1] += ` ${line}`;
    else lines.push(line);
  }
  return lines.map((line) => {
    const [name, expr, zh, en, ...extra] = line.split(/\s+\|\s+/);
    if (
      name === undefined ||
      expr === undefined ||
      zh === undefined ||
      en === undefined ||
      extra.length > 0
    )
      throw new Error(`reporting column: expected "name | expr | zh | en", got ${line}`);
    return { name: restore(name), expr: restore(expr), zh: restore(zh), en: restore(en) };
  });
}

export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A COMMENT's text in both languages, as every reporting object carries it. */
export function bilingual(zh: string, en: string): string {
  return sqlLiteral(`${zh} | ${en}`);
}

export function selectList(columns: readonly ReportingColumn[]): string {
  return columns.map((column) => `${column.expr} AS ${column.name}`).join(',\n  ');
}

/** The COMMENT statements of a view and its columns. */
export function viewComments(
  view: string,
  zh: string,
  en: string,
  columns: readonly ReportingColumn[],
): string[] {
  return [
    `COMMENT ON VIEW ${view} IS ${bilingual(zh, en)}`,
    ...columns.map(
      (column) => `COMMENT ON COLUMN ${view}.${column.name} IS ${bilingual(column.zh, column.en)}`,
    ),
  ];
}

const COLUMNS = reportingColumns`
  position | e.position | 事件在总账中的位置（全局顺序） | log position (global order)
  stream | e.stream_id | 事件流（如 applicant-<统一社会信用代码>） | stream (e.g. applicant-<USCC>)
  revision | e.revision | 流内序号（从 0 起） | revision within the stream (from 0)
  event_id | e.event_id | 事件编号 | event id
  type | e.type | 事件类型 | event type
  data | ${`CASE WHEN strpos(e.data::text, '\\u0000') = 0 THEN e.data::jsonb END`}
    | 事件数据（jsonb） | event data (jsonb)
  metadata | ${`CASE WHEN strpos(e.metadata::text, '\\u0000') = 0 THEN e.metadata::jsonb END`}
    | 元数据（jsonb：经办人、角色、哈希链等） | metadata (jsonb: actor, role, hash chain…)
  recorded_at | (e.metadata->>'recordedAt')::timestamptz | 记账的账本时间 | ledger time recorded
`;

/**
 * Post-close adjustments apart (docs/reporting.md): the amount is cast from the stored decimal string
 * straight to numeric(18,2), never through a float.
 */
const ADJUSTMENT_COLUMNS = reportingColumns`
  position | e.position | 事件在总账中的位置（全局顺序） | log position (global order)
  event_id | e.event_id | 事件编号 | event id
  period | e.data->>'period' | 已结账的会计年度 | closed fiscal period (year)
  funder | e.data->>'funder' | 出资方（city 市级 / district 区级） | funder (city or district)
  kind | e.data->>'kind' | 调整类别（disbursement 拨付 / recovery 追回） | kind (disbursement or recovery)
  subject_id | e.data->>'subjectId' | 调整对象（申报编号或分配方案编号） | subject (claim id or allocation plan id)
  amount | (e.data->>'amount')::numeric(18,2) | 调整金额（元） | amount adjusted (CNY)
  reference | e.data->>'reference' | 调整凭证号 | adjustment reference
  dated_on | (e.data->>'datedOn')::date | 业务日期（在已结账期间内） | business date (inside the closed period)
  reasons | ARRAY(SELECT json_array_elements_text(e.data->'reasons')) | 调整理由 | reasons
  actor | e.metadata->>'actor' | 记录调整的经办人 | actor who recorded the adjustment
  recorded_at | (e.metadata->>'recordedAt')::timestamptz | 记账的账本时间 | ledger time recorded
`;

export async function ensureReportingEventsView(
  client: PoolClient,
  names: SchemaNames,
  reportingSchema: string,
): Promise<void> {
  if (!REPORTING_SCHEMA_PATTERN.test(reportingSchema))
    throw new RangeError(
      `reporting schema name ${JSON.stringify(reportingSchema)} must match ${REPORTING_SCHEMA_PATTERN.source}`,
    );
  const view = `"${reportingSchema}".events`;
  await client.query('BEGIN');
  try {
    // The same lock the read store takes to create the reporting schema.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `ledger-reporting:${reportingSchema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${reportingSchema}"`);
    const adjustments = `"${reportingSchema}".post_close_adjustments`;
    const views = [
      {
        view,
        columns: COLUMNS,
        from: `${names.events} e`,
        zh: '账本事件日志（只读，数据为 jsonb）',
        en: 'the ledger event log (read-only, data as jsonb)',
      },
      {
        view: adjustments,
        columns: ADJUSTMENT_COLUMNS,
        from: `${names.events} e WHERE e.type = 'PostCloseAdjustmentRecorded'`,
        zh: '期后调整：已结账期间内的拨付、追回，结账后另行记录（每笔一行，不计入 fiscal_obligations）',
        en: 'post-close adjustments: movements dated in a closed period, recorded after the close (one row each, not in fiscal_obligations)',
      },
    ];
    const { rows } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      REPORTING_ROLE,
    ]);
    for (const { view: name, columns, from, zh, en } of views) {
      await client.query(
        `CREATE OR REPLACE VIEW ${name} AS SELECT ${selectList(columns)} FROM ${from}`,
      );
      for (const statement of viewComments(name, zh, en, columns)) await client.query(statement);
      if (rows.length > 0) await client.query(`GRANT SELECT ON ${name} TO ${REPORTING_ROLE}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
