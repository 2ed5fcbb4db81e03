/**
 * The `reporting` schema: stable, typed, commented views for BI tools over the read models of the
 * active generation (docs/reporting.md). The generation tables (`read_models.g<N>_*`) change name at
 * every rebuild and keep money as text and times as text or epoch milliseconds; these views do not:
 * money is numeric(18,2), times timestamptz, fiscal months date (the first of the month).
 *
 * The views are re-pointed (CREATE OR REPLACE VIEW, same names, columns and grants) inside the
 * transaction that activates a generation (PostgresReadStore.activate), so a reader sees the old
 * generation or the new one, never a missing view. The read-only group role `ledger_reporting` gets
 * USAGE on this schema and SELECT on its views only; views run with their owner's rights, so it needs
 * (and has) nothing on `read_models`, `event_store` or `idempotency`.
 */
import type { ClientBase } from 'pg';
import {
  bilingual,
  REPORTING_ROLE,
  reportingColumns,
  selectList,
  viewComments,
} from '@hz/event-store';
import { listCatalogs } from '@hz/policy';
import { metaTableName, tableNames } from '../sql/generation-sql';
import { fiscalObligationColumns, reportingViews, type ReportingView } from './reporting-views';
import { assertSchemaName } from './schema-name';

export const REPORTING_DEFAULT_SCHEMA = 'reporting';
export { REPORTING_ROLE };

function selectSql(view: ReportingView): string {
  return `SELECT ${selectList(view.columns)}\n${view.from}`;
}
/** The catalog lookups' columns: `name | SQL type | 中文 | English`. */
const DISTRICT_COLUMNS = reportingColumns`
  code | text PRIMARY KEY | 区县代码 | district code
  name_zh | text NOT NULL | 区县中文名 | district, Chinese name
  name_en | text NOT NULL | 区县英文名 | district, English name
  district_group | text NOT NULL | 分档（A/B，第十一条） | group (A or B, clause 11)
  city_rate | numeric NOT NULL | 市级分担比例 | city share rate for split-funded programs
`;
const PROGRAM_COLUMNS = reportingColumns`
  code | text PRIMARY KEY | 政策项目代码 | policy program code
  clause | text NOT NULL | 政策条款 | policy clause
  title_zh | text NOT NULL | 项目中文名称 | program, Chinese title
  title_en | text NOT NULL | 项目英文名称 | program, English title
  scope | text NOT NULL | 范围：annual/one-time/per-subject/not-claimable/allocation
    | scope: annual, one-time, per-subject, not-claimable, allocation
  funding | text NOT NULL | 资金来源：split 市区分担 / city 市级全额 | funding: split between city and district, or city only
  catalog_id | text NOT NULL | 所属政策目录 | policy catalog the row comes from
`;

/**
 * At open, under the caller's advisory lock: the schema, the catalog lookups (refreshed from the policy
 * catalogs this build knows, a later catalog overriding an earlier one's names), the group role when
 * the database user may create roles, and the grants.
 */
export async function ensureReportingBase(
  client: ClientBase,
  reportingSchema: string,
): Promise<void> {
  const r = `"${assertSchemaName(reportingSchema)}"`;
  await lockReporting(client, reportingSchema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${r}`);
  await client.query(
    `COMMENT ON SCHEMA ${r} IS ${bilingual('账本报表视图（只读，供 BI 工具使用），见 docs/reporting.md', 'ledger reporting views (read-only, for BI tools), see docs/reporting.md')}`,
  );
  for (const [table, columns, zh, en] of [
    ['districts', DISTRICT_COLUMNS, '区县（来自政策目录）', 'districts (from the policy catalog)'],
    [
      'programs',
      PROGRAM_COLUMNS,
      '政策项目（来自政策目录）',
      'policy programs (from the policy catalog)',
    ],
  ] as const) {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${r}.${table} (${columns.map((column) => `${column.name} ${column.expr}`).join(', ')})`,
    );
    await client.query(`COMMENT ON TABLE ${r}.${table} IS ${bilingual(zh, en)}`);
    for (const column of columns)
      await client.query(
        `COMMENT ON COLUMN ${r}.${table}.${column.name} IS ${bilingual(column.zh, column.en)}`,
      );
  }
  for (const catalog of listCatalogs().sort((left, right) =>
    left.validFrom.localeCompare(right.validFrom),
  )) {
    for (const d of catalog.districts) {
      await client.query(
        `INSERT INTO ${r}.districts VALUES ($1, $2, $3, $4, $5::numeric)
         ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, district_group = EXCLUDED.district_group, city_rate = EXCLUDED.city_rate`,
        [d.code, d.nameZh, d.nameEn, d.group, d.cityRate],
      );
    }
    for (const p of catalog.programs) {
      await client.query(
        `INSERT INTO ${r}.programs VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (code) DO UPDATE SET clause = EXCLUDED.clause, title_zh = EXCLUDED.title_zh, title_en = EXCLUDED.title_en,
           scope = EXCLUDED.scope, funding = EXCLUDED.funding, catalog_id = EXCLUDED.catalog_id`,
        [p.code, p.clause, p.titleZh, p.titleEn, p.scope, p.funding, catalog.id],
      );
    }
  }
  // A user without CREATEROLE leaves the role to the DBA (docs/reporting.md); roles are per cluster, so
  // another database's store may create it at the same moment: that is not an error.
  await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${REPORTING_ROLE}')
         AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
        CREATE ROLE ${REPORTING_ROLE} NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  await grantReporting(client, reportingSchema);
}

/**
 * One transaction-scoped lock for everything that changes the reporting schema, its grants included
 * (the event store takes it to create reporting.events). Callers that also lock the generations table
 * take that one first, so the two locks are always taken in the same order.
 */
async function lockReporting(client: ClientBase, reportingSchema: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `ledger-reporting:${reportingSchema}`,
  ]);
}

/** USAGE on the reporting schema and SELECT on everything in it, when the role exists; nothing else. */
export async function grantReporting(client: ClientBase, reportingSchema: string): Promise<void> {
  const r = `"${assertSchemaName(reportingSchema)}"`;
  const { rows } = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
    REPORTING_ROLE,
  ]);
  if (rows.length === 0) return;
  await client.query(`GRANT USAGE ON SCHEMA ${r} TO ${REPORTING_ROLE}`);
  await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${r} TO ${REPORTING_ROLE}`);
  await client.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${r} GRANT SELECT ON TABLES TO ${REPORTING_ROLE}`,
  );
}

/**
 * Points every reporting view at generation `t` (CREATE OR REPLACE: same names, columns, comments and
 * grants; dependent objects of users survive), plus the as-of functions. Run inside the transaction
 * that makes `t` active, after ensureReportingBase.
 */
export async function pointReportingViews(
  client: ClientBase,
  reportingSchema: string,
  readSchema: string,
  generation: number,
): Promise<void> {
  const r = `"${assertSchemaName(reportingSchema)}"`;
  await lockReporting(client, reportingSchema);
  const views = reportingViews({
    r,
    t: tableNames(generation, readSchema),
    meta: metaTableName(readSchema),
    generation,
  }).map((view) => ({
    name: `${r}.${view.name}`,
    select: selectSql(view),
    comments: viewComments(`${r}.${view.name}`, view.zh, view.en, view.columns),
  }));
  const functions = asOfFunctions(r).flatMap((fn) => [
    fn.sql,
    `COMMENT ON FUNCTION ${r}.${fn.name}(timestamptz) IS ${bilingual(fn.zh, fn.en)}`,
  ]);
  // One round trip (a multi-statement simple query: no parameters) keeps the switch transaction short;
  // if a view's columns changed (a new version of these definitions), view by view with the fallback.
  await client.query('SAVEPOINT reporting_views');
  try {
    await client.query(
      [
        ...views.flatMap((view) => [
          `CREATE OR REPLACE VIEW ${view.name} AS ${view.select}`,
          ...view.comments,
        ]),
        ...functions,
      ].join(';\n'),
    );
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT reporting_views');
    for (const view of views) {
      await replaceView(client, view.name, view.select);
      await client.query(view.comments.join(';\n'));
    }
    await client.query(functions.join(';\n'));
  }
  await client.query('RELEASE SAVEPOINT reporting_views');
  await grantReporting(client, reportingSchema);
}

/**
 * CREATE OR REPLACE VIEW keeps grants, comments and the objects users built on the view; it refuses a
 * changed column type (a new version of these definitions): then the view is dropped with what depends
 * on it (the later views and functions here are recreated right after) and created anew.
 */
async function replaceView(client: ClientBase, view: string, select: string): Promise<void> {
  await client.query('SAVEPOINT reporting_view');
  try {
    await client.query(`CREATE OR REPLACE VIEW ${view} AS ${select}`);
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT reporting_view');
    await client.query(`DROP VIEW IF EXISTS ${view} CASCADE`);
    await client.query(`CREATE VIEW ${view} AS ${select}`);
  }
  await client.query('RELEASE SAVEPOINT reporting_view');
}

/** The set-returning as-of functions: what the API's `asOf` answers, over the history views. */
function asOfFunctions(r: string): Array<{ name: string; sql: string; zh: string; en: string }> {
  const obligations = selectList(fiscalObligationColumns('h'));
  return [
    {
      name: 'claims_as_of',
      zh: '指定账本时间的申报状态与金额（该时刻及之前的最后一个事件之后）',
      en: 'claims as they stood at a ledger time (after their last event recorded at or before it)',
      sql: `CREATE OR REPLACE FUNCTION ${r}.claims_as_of(as_of timestamptz) RETURNS SETOF ${r}.claim_history
        LANGUAGE sql STABLE AS $$
          SELECT DISTINCT ON (h.claim_id) h.* FROM ${r}.claim_history h
          WHERE h.valid_from <= as_of ORDER BY h.claim_id, h.position DESC
        $$`,
    },
    {
      name: 'caps_as_of',
      zh: '指定账本时间的额度状态（该时刻及之前记录的最新版本）',
      en: 'caps as they stood at a ledger time (the latest version recorded at or before it)',
      sql: `CREATE OR REPLACE FUNCTION ${r}.caps_as_of(as_of timestamptz) RETURNS SETOF ${r}.cap_history
        LANGUAGE sql STABLE AS $$
          SELECT DISTINCT ON (h.applicant, h.cap_id) h.* FROM ${r}.cap_history h
          WHERE h.valid_from <= as_of ORDER BY h.applicant, h.cap_id, h.position DESC
        $$`,
    },
    {
      name: 'fiscal_obligations_as_of',
      zh: '指定账本时间的财政应付与拨付（出资方×月份×条款），含期末余额',
      en: 'fiscal obligations per funder, month and clause as they stood at a ledger time, with closing balances',
      sql: `CREATE OR REPLACE FUNCTION ${r}.fiscal_obligations_as_of(as_of timestamptz) RETURNS SETOF ${r}.fiscal_obligations
        LANGUAGE sql STABLE AS $$
          SELECT ${obligations} FROM (
            SELECT DISTINCT ON (v.funder, v.month, v.clause) v.* FROM ${r}.fiscal_history v
            WHERE v.valid_from <= as_of ORDER BY v.funder, v.month, v.clause, v.valid_from DESC, v.position DESC
          ) h
        $$`,
    },
  ];
}
