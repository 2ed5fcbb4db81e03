/**
 * `reporting.events`: the event log as jsonb for BI tools (docs/reporting.md). A view, so the stored
 * `json` columns (the exact text the hash chain covers, see ./schema.ts) stay as they are; jsonb is
 * computed on read. jsonb refuses the `\u0000` escape: an event whose JSON text contains it shows
 * NULL there (its stored text is untouched). The event store creates the view because only it knows
 * its table; the read store creates the role and grants SELECT on the whole reporting schema
 * (libs/projections/src/postgres/postgres-reporting.ts), and this grants too when the role exists.
 */
import type { PoolClient } from 'pg';
import type { SchemaNames } from './schema';

const REPORTING_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;
const REPORTING_ROLE = 'ledger_reporting';

const COLUMNS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['position', 'e.position', '事件在总账中的位置（全局顺序）', 'log position (global order)'],
  [
    'stream',
    'e.stream_id',
    '事件流（如 applicant-<统一社会信用代码>）',
    'stream (e.g. applicant-<USCC>)',
  ],
  ['revision', 'e.revision', '流内序号（从 0 起）', 'revision within the stream (from 0)'],
  ['event_id', 'e.event_id', '事件编号', 'event id'],
  ['type', 'e.type', '事件类型', 'event type'],
  [
    'data',
    `CASE WHEN strpos(e.data::text, '\\u0000') = 0 THEN e.data::jsonb END`,
    '事件数据（jsonb）',
    'event data (jsonb)',
  ],
  [
    'metadata',
    `CASE WHEN strpos(e.metadata::text, '\\u0000') = 0 THEN e.metadata::jsonb END`,
    '元数据（jsonb：经办人、角色、哈希链等）',
    'metadata (jsonb: actor, role, hash chain…)',
  ],
  [
    'recorded_at',
    `(e.metadata->>'recordedAt')::timestamptz`,
    '记账的账本时间',
    'ledger time recorded',
  ],
];

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

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
    await client.query(
      `CREATE OR REPLACE VIEW ${view} AS SELECT ${COLUMNS.map(([name, expr]) => `${expr} AS ${name}`).join(', ')} FROM ${names.events} e`,
    );
    await client.query(
      `COMMENT ON VIEW ${view} IS ${literal('账本事件日志（只读，数据为 jsonb） | the ledger event log (read-only, data as jsonb)')}`,
    );
    for (const [name, , zh, en] of COLUMNS)
      await client.query(`COMMENT ON COLUMN ${view}.${name} IS ${literal(`${zh} | ${en}`)}`);
    const { rows } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      REPORTING_ROLE,
    ]);
    if (rows.length > 0) await client.query(`GRANT SELECT ON ${view} TO ${REPORTING_ROLE}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
