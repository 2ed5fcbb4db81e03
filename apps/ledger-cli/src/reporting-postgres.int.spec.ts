/**
 * The `reporting` schema for BI tools (docs/reporting.md) on a demo ledger written through the real
 * command path into PostgreSQL and projected by the real supervisor: the five example queries of the
 * docs, read from docs/reporting.md itself and run through psql as a login in `ledger_reporting`, give
 * the read models' figures to the fen; columns are typed and commented in Chinese and English; the role
 * sees `reporting` and nothing else; and a rebuild (new generations) changes neither names nor results,
 * with a reader querying throughout.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { LedgerService } from '@hz/application';
import {
  createThrowawayDatabase,
  openPostgresEventStore,
  type PostgresEventStore,
  type ThrowawayDatabase,
} from '@hz/event-store';
import { Money, MoneyDecimal } from '@hz/money';
import { findDistrict, findProgram, HZ_CBEC_2023 } from '@hz/policy';
import {
  allClaims,
  fiscalReport,
  InMemoryReadModel,
  openPostgresReadStore,
  toLedgerRecord,
  ProjectionSupervisor,
  type ClaimSummary,
  type PostgresReadStore,
} from '@hz/projections';
import { demoClockFor, runDemo } from './demo/demo-runner';
import { demoStreamCacheMax } from './demo/demo-store';

jest.setTimeout(300_000);

const PSQL = '/usr/bin/psql';
const DOCS = join(__dirname, '../../../docs/reporting.md');
const QUERY_NAMES = [
  'obligations-per-district-per-month',
  'caps-remaining-per-applicant',
  'disbursement-ageing',
  'recoveries-outstanding',
  'claims-by-program-and-status',
] as const;
type QueryName = (typeof QUERY_NAMES)[number];
type Row = string[];

const DAY_MS = 86_400_000;
const CITY_NAMES = ['杭州市本级', 'Hangzhou municipal budget'];

let database: ThrowawayDatabase;
let events: PostgresEventStore;
let reads: PostgresReadStore;
let supervisor: ProjectionSupervisor;
let reporter: string;
let reporterUrl: string;

/** The fenced ```sql <name> blocks of docs/reporting.md, by name. */
function documentedQueries(): Map<string, string> {
  const queries = new Map<string, string>();
  for (const match of readFileSync(DOCS, 'utf8').matchAll(
    /^```sql ([a-z0-9-]+)\n([\s\S]*?)^```$/gm,
  ))
    queries.set(match[1] ?? '', match[2] ?? '');
  return queries;
}

/** Runs SQL through psql as `url`'s user; rows of the CSV output without the header. */
function psql(
  url: string,
  sql: string,
): { rows: Row[]; header: Row; stderr: string; status: number | null } {
  const run = spawnSync(PSQL, [url, '-X', '--csv', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    input: sql,
    encoding: 'utf8',
    env: { ...process.env, PGTZ: 'UTC' },
  });
  const [header = [], ...rows] = parseCsv(run.stdout ?? '');
  return { rows, header, stderr: run.stderr ?? '', status: run.status };
}

function psqlRows(sql: string): Row[] {
  const result = psql(reporterUrl, sql);
  if (result.status !== 0) throw new Error(`psql failed (${result.status}): ${result.stderr}`);
  return result.rows;
}

function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function adminQuery<T extends Record<string, unknown>>(
  sql: string,
  values: readonly unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    return (await client.query<T>(sql, [...values])).rows;
  } finally {
    await client.end();
  }
}

async function caughtUp(): Promise<void> {
  const head = await events.headPosition();
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if ((await reads.activeCheckpoint())?.position === head) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the projector did not reach position ${head}`);
}

async function allClaimsServed(): Promise<ClaimSummary[]> {
  const claims: ClaimSummary[] = [];
  for await (const claim of allClaims(reads, 200)) claims.push(claim);
  return claims;
}

const fixed = (value: InstanceType<typeof MoneyDecimal>): string => value.toFixed(2);
const minus = (left: string, right: string): string => fixed(new MoneyDecimal(left).minus(right));
const sum = (values: readonly string[]): string =>
  Money.sum(values.map((value) => Money.parse(value))).toString();
const sortRows = (rows: readonly Row[]): Row[] =>
  [...rows].sort((left, right) => (left.join('\u0001') < right.join('\u0001') ? -1 : 1));

/** What each documented query must return, computed from the read store (what the API serves). */
async function expectedRows(): Promise<Record<QueryName, Row[]>> {
  const claims = await allClaimsServed();
  const active = await reads.activeCheckpoint();
  if (active === null) throw new Error('no active generation');
  const applicantName = new Map<string, string>();
  for (const uscc of new Set(claims.map((claim) => claim.applicant))) {
    applicantName.set(
      uscc,
      (await reads.loadApplicant(active.generation, uscc)).applicant?.name ?? '',
    );
  }
  const name = (uscc: string): string => applicantName.get(uscc) ?? '';

  const buckets = await reads.fiscalBuckets({});
  const monthsWithFlows = new Set(buckets.map((bucket) => `${bucket.funder}/${bucket.month}`));
  const funderNames = (funder: string): string[] => {
    if (funder === 'city') return CITY_NAMES;
    const district = findDistrict(HZ_CBEC_2023, funder);
    return [district?.nameZh ?? '', district?.nameEn ?? ''];
  };
  const obligations = fiscalReport(buckets, { period: 'month' })
    .filter((row) => monthsWithFlows.has(`${row.funder}/${row.period}`))
    .map((row) => [
      row.funder,
      ...funderNames(row.funder),
      `${row.period}-01`,
      row.committed,
      row.disbursed,
      row.cancelled,
      row.outstanding,
      row.receivable,
      row.recovered,
    ]);

  const caps: Row[] = [];
  for (const uscc of [...applicantName.keys()]) {
    for (const cap of await reads.caps(uscc)) {
      if (cap.cap === null) continue;
      caps.push([
        uscc,
        name(uscc),
        cap.programCode,
        cap.capId,
        cap.kind,
        cap.supportYear?.toString() ?? '',
        cap.subjectKey ?? '',
        cap.cap,
        cap.granted,
        minus(cap.cap, cap.granted),
        cap.paid,
      ]);
    }
  }

  // Ageing as of the ledger time the read models reached; the approval took effect at the approval, or at the countersignature.
  // Per bucket: how many funder shares are still open (a count), and their unpaid amounts (money strings).
  const ageing = new Map<string, { openItems: number; unpaid: string[] }>();
  const bucketOf = (ageMs: number): string =>
    ageMs < 30 * DAY_MS
      ? '0-29 days'
      : ageMs < 90 * DAY_MS
        ? '30-89 days'
        : ageMs < 180 * DAY_MS
          ? '90-179 days'
          : '180+ days';
  for (const claim of claims.filter(
    (candidate) => candidate.status === 'approved' && candidate.split !== null,
  )) {
    const history = await reads.claimHistory(claim.claimId);
    const approvedMs = Math.max(
      ...history
        .filter((entry) => entry.type === 'ClaimApproved' || entry.type === 'ApprovalCountersigned')
        .map((entry) => Date.parse(entry.recordedAt)),
    );
    for (const [funder, share, paid] of [
      ['city', claim.split?.cityShare ?? '0.00', claim.paid.city],
      ['district', claim.split?.districtShare ?? '0.00', claim.paid.district],
    ] as const) {
      const unpaid = minus(share, paid);
      if (!new MoneyDecimal(unpaid).greaterThan(0)) continue;
      const key = `${funder}\u0000${bucketOf(active.watermarkMs - approvedMs)}`;
      const entry = ageing.get(key) ?? { openItems: 0, unpaid: [] };
      entry.openItems += 1;
      entry.unpaid.push(unpaid);
      ageing.set(key, entry);
    }
  }

  const recoveries: Row[] = [];
  for (const claim of claims) {
    for (const funder of ['city', 'district'] as const) {
      const [receivable, recovered] = [claim.receivable[funder], claim.recovered[funder]];
      if (new MoneyDecimal(receivable).greaterThan(recovered))
        recoveries.push([
          claim.claimId,
          claim.applicant,
          name(claim.applicant),
          funder,
          receivable,
          recovered,
          minus(receivable, recovered),
        ]);
    }
  }

  const byProgram = new Map<string, ClaimSummary[]>();
  for (const claim of claims)
    byProgram.set(`${claim.programCode}\u0000${claim.status}`, [
      ...(byProgram.get(`${claim.programCode}\u0000${claim.status}`) ?? []),
      claim,
    ]);
  const programs = [...byProgram.entries()].map(([key, group]) => {
    const [code = '', status = ''] = key.split('\u0000');
    const program = findProgram(HZ_CBEC_2023, code);
    const approved = group.flatMap((claim) =>
      claim.approvedAmount === null ? [] : [claim.approvedAmount],
    );
    return [
      code,
      program?.titleZh ?? '',
      program?.titleEn ?? '',
      status,
      String(group.length),
      sum(group.map((claim) => claim.requestedAmount)),
      sum(approved),
    ];
  });

  return {
    'obligations-per-district-per-month': obligations,
    'caps-remaining-per-applicant': caps,
    'disbursement-ageing': [...ageing.entries()].map(([key, entry]) => [
      ...key.split('\u0000'),
      String(entry.openItems),
      sum(entry.unpaid),
    ]),
    'recoveries-outstanding': recoveries,
    'claims-by-program-and-status': programs,
  };
}

/** Every relation of the reporting schema, each as its full content in a fixed order (plus the five queries). */
function reportingSnapshot(): Record<string, Row[]> {
  const snapshot: Record<string, Row[]> = {};
  const relations = psqlRows(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'r') ORDER BY 1`,
  );
  for (const [relation = ''] of relations)
    snapshot[relation] = sortRows(psqlRows(`SELECT * FROM reporting.${relation}`));
  snapshot['claims_as_of'] = sortRows(
    psqlRows(`SELECT * FROM reporting.claims_as_of('2024-06-30 12:00:00+08')`),
  );
  snapshot['caps_as_of'] = sortRows(
    psqlRows(`SELECT * FROM reporting.caps_as_of('2024-06-30 12:00:00+08')`),
  );
  snapshot['fiscal_obligations_as_of'] = sortRows(
    psqlRows(`SELECT * FROM reporting.fiscal_obligations_as_of('2024-06-30 12:00:00+08')`),
  );
  for (const [name, sql] of documentedQueries()) snapshot[`query ${name}`] = psqlRows(sql);
  return snapshot;
}

beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_reporting');
  const clock = demoClockFor({ yearFrom: 2023 });
  events = await openPostgresEventStore({
    connectionString: database.connectionString,
    clock,
    pollIntervalMs: 50,
    poolSize: 4,
  });
  const service = new LedgerService({
    store: events,
    catalog: HZ_CBEC_2023,
    countersignThreshold: Money.parse('500000.00'),
    clock,
    streamCacheMax: demoStreamCacheMax(20, 2),
  });
  await runDemo(service, clock, HZ_CBEC_2023, {
    applicants: 20,
    yearFrom: 2023,
    yearTo: 2024,
    seed: 11,
    concurrency: 8,
  });
  reads = await openPostgresReadStore({ connectionString: database.connectionString, poolSize: 4 });
  supervisor = new ProjectionSupervisor(events, reads, { batchSize: 250 });
  await supervisor.start();
  await caughtUp();
  // Roles belong to the cluster: a login of this run only, in the group role the read store created.
  reporter = `reporting_test_${process.pid}_${Date.now()}`;
  await adminQuery(`CREATE ROLE ${reporter} LOGIN IN ROLE ledger_reporting`);
  const url = new URL(database.connectionString);
  url.username = reporter;
  reporterUrl = url.toString();
});

afterAll(async () => {
  await supervisor?.stop();
  await reads?.close();
  await events?.close();
  await database?.drop();
  if (reporter === undefined) return;
  const admin = new Client({
    connectionString:
      process.env['LEDGER_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${reporter}`);
  await admin.end();
});

describe('the reporting schema on PostgreSQL', () => {
  it("answers the five documented queries, as a ledger_reporting login through psql, with the read models' figures to the fen", async () => {
    const queries = documentedQueries();
    expect([...queries.keys()].sort()).toEqual([...QUERY_NAMES].sort());
    const expected = await expectedRows();
    for (const name of QUERY_NAMES) {
      const rows = psqlRows(queries.get(name) ?? '');
      expect({ name, rows: sortRows(rows) }).toEqual({ name, rows: sortRows(expected[name]) });
      // A demo ledger has rows for every question (else the comparison would prove little).
      expect({ name, count: rows.length > 0 }).toEqual({ name, count: true });
    }
    // The age is measured from approved_at: the approval, or its countersignature when one was required.
    const approvedAt: Row[] = [];
    for (const claim of (await allClaimsServed()).filter(
      (candidate) => candidate.status === 'approved' || candidate.status === 'revoked',
    )) {
      const decisions = (await reads.claimHistory(claim.claimId)).filter(
        (entry) => entry.type === 'ClaimApproved' || entry.type === 'ApprovalCountersigned',
      );
      approvedAt.push([claim.claimId, decisions.at(-1)?.recordedAt ?? '']);
    }
    // Some of them were countersigned (the demo countersigns approvals of 500000.00 or more).
    expect(
      Number(
        psqlRows(
          `SELECT count(*) FROM reporting.claims WHERE countersign_required AND approved_at IS NOT NULL`,
        )[0]?.[0],
      ),
    ).toBeGreaterThan(0);
    expect(
      sortRows(
        psqlRows(
          `SELECT claim_id, to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM reporting.claims WHERE approved_at IS NOT NULL`,
        ),
      ),
    ).toEqual(sortRows(approvedAt));
  });

  it('answers as of any ledger time what the API answers with asOf (caps_as_of, fiscal_obligations_as_of) and what a replay up to then gives (claims_as_of)', async () => {
    const records = (await events.readAll({ maxCount: 100_000 })).map(toLedgerRecord);
    expect(BigInt(records.length)).toBe(await events.headPosition());
    const [first] = await events.readAll({ fromPosition: 0n, maxCount: 1 });
    const head = await reads.activeCheckpoint();
    if (first === undefined || head === null) throw new Error('an empty ledger');
    const firstMs = Date.parse(first.metadata.recordedAt);
    const claims = await allClaimsServed();
    const applicants = [...new Set(claims.map((claim) => claim.applicant))].sort();
    const perClause = (buckets: Awaited<ReturnType<typeof reads.fiscalBuckets>>): Row[] => {
      const months = new Set(
        buckets.map((bucket) => `${bucket.funder}/${bucket.clause}/${bucket.month}`),
      );
      return fiscalReport(buckets, { period: 'month', groupBy: 'clause' })
        .filter((row) => months.has(`${row.funder}/${row.clause}/${row.period}`))
        .map((row) => [
          row.funder,
          `${row.period}-01`,
          row.clause ?? '',
          row.committed,
          row.disbursed,
          row.cancelled,
          row.outstanding,
          row.receivable,
          row.recovered,
          row.receivableOutstanding,
        ]);
    };
    const obligationColumns =
      'funder, month, clause, committed, disbursed, cancelled, outstanding, receivable, recovered, receivable_outstanding';
    expect(
      sortRows(psqlRows(`SELECT ${obligationColumns} FROM reporting.fiscal_obligations`)),
    ).toEqual(sortRows(perClause(await reads.fiscalBuckets({}))));
    // A third and two thirds of the way through the ledger's time, and its very end.
    for (const asOfMs of [
      firstMs + Math.floor((head.watermarkMs - firstMs) / 3),
      firstMs + Math.floor(((head.watermarkMs - firstMs) * 2) / 3),
      head.watermarkMs,
    ]) {
      const at = new Date(asOfMs).toISOString();
      const expectedCaps: Row[] = [];
      for (const uscc of applicants) {
        for (const cap of await reads.caps(uscc, { asOfMs }))
          expectedCaps.push([
            uscc,
            cap.capId,
            cap.cap ?? '',
            cap.granted,
            cap.cap === null ? '' : minus(cap.cap, cap.granted),
            cap.paid,
            cap.position.toString(),
          ]);
      }
      expect(expectedCaps.length).toBeGreaterThan(0);
      const caps = psqlRows(
        `SELECT applicant, cap_id, cap, granted, remaining, paid, position FROM reporting.caps_as_of('${at}')`,
      );
      expect({ at, caps: sortRows(caps) }).toEqual({ at, caps: sortRows(expectedCaps) });
      const obligations = psqlRows(
        `SELECT ${obligationColumns} FROM reporting.fiscal_obligations_as_of('${at}')`,
      );
      expect({ at, obligations: sortRows(obligations) }).toEqual({
        at,
        obligations: sortRows(perClause(await reads.fiscalBuckets({ asOfMs }))),
      });
      const replayed = InMemoryReadModel.of(
        records.filter((record) => Date.parse(record.metadata.recordedAt) <= asOfMs),
      ).allClaims();
      expect(replayed.length).toBeGreaterThan(0);
      const claimsThen =
        psqlRows(`SELECT claim_id, applicant, program_code, support_year, status, paid_city, paid_district, cancelled_city, cancelled_district,
        receivable_city, receivable_district, recovered_city, recovered_district FROM reporting.claims_as_of('${at}')`);
      expect({ at, claims: sortRows(claimsThen) }).toEqual({
        at,
        claims: sortRows(
          replayed.map((claim) => [
            claim.claimId,
            claim.applicant,
            claim.programCode,
            String(claim.supportYear),
            claim.status,
            claim.paid.city,
            claim.paid.district,
            claim.cancelled.city,
            claim.cancelled.district,
            claim.receivable.city,
            claim.receivable.district,
            claim.recovered.city,
            claim.recovered.district,
          ]),
        ),
      });
    }
  });

  it('types money numeric(18,2), instants timestamptz, months date, and comments every view, table, column and function in Chinese and English', () => {
    const columns =
      psqlRows(`SELECT table_name, column_name, data_type, coalesce(numeric_precision::text, ''), coalesce(numeric_scale::text, '')
      FROM information_schema.columns WHERE table_schema = 'reporting' ORDER BY table_name, ordinal_position`);
    const type = new Map(
      columns.map(([table, column, dataType, precision, scale]) => [
        `${table}.${column}`,
        precision === '' ? dataType : `${dataType}(${precision},${scale})`,
      ]),
    );
    const expectType = (names: readonly string[], wanted: string): void => {
      for (const name of names)
        expect({ name, type: type.get(name) }).toEqual({ name, type: wanted });
    };
    expectType(
      [
        'claims.requested_amount',
        'claims.approved_amount',
        'claims.city_share',
        'claims.district_share',
        'claims.paid_city',
        'claims.paid_district',
        'claims.unpaid_city',
        'claims.cancelled_district',
        'claims.receivable_city',
        'claims.recovered_district',
        'caps.cap',
        'caps.granted',
        'caps.remaining',
        'caps.paid',
        'cap_history.remaining',
        'one_time_awards.amount',
        'fiscal_obligations.committed',
        'fiscal_obligations.disbursed',
        'fiscal_obligations.cancelled',
        'fiscal_obligations.outstanding',
        'fiscal_obligations.receivable',
        'fiscal_obligations.recovered',
        'fiscal_obligations.receivable_outstanding',
        'fiscal_history.committed',
        'disbursements.amount',
        'recoveries.amount',
      ],
      'numeric(18,2)',
    );
    expectType(
      [
        'claims.submitted_at',
        'claims.approved_at',
        'claims.last_recorded_at',
        'caps.valid_from',
        'cap_history.valid_to',
        'fiscal_history.valid_from',
        'disbursements.recorded_at',
        'recoveries.recorded_at',
        'events.recorded_at',
        'status.ledger_time',
      ],
      'timestamp with time zone',
    );
    expectType(
      [
        'fiscal_obligations.month',
        'fiscal_history.month',
        'disbursements.paid_on',
        'recoveries.recovered_on',
      ],
      'date',
    );
    expectType(['events.data', 'events.metadata'], 'jsonb');
    // No amount or time is left as text anywhere: every numeric but the city rate has the money type.
    const numerics = columns.filter(
      ([, column, dataType]) => dataType === 'numeric' && column !== 'city_rate',
    );
    expect(numerics.length).toBeGreaterThan(30);
    expect(
      numerics.filter(([, , , precision, scale]) => precision !== '18' || scale !== '2'),
    ).toEqual([]);
    expect(
      columns.filter(
        ([, column, dataType]) =>
          /(_at|_on|^month|^valid_(from|to)|_time)$/.test(column ?? '') && dataType === 'text',
      ),
    ).toEqual([]);

    const bilingual = /^[^|]*[\u4e00-\u9fff][^|]* \| [ -~–−Σ…→]*[A-Za-z][ -~–−Σ…→]*$/u;
    const relations =
      psqlRows(`SELECT c.relname, c.relkind::text, coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'r') ORDER BY 1`);
    expect(relations.map(([name, kind]) => `${name}:${kind}`)).toEqual([
      'applicants:v',
      'cap_history:v',
      'caps:v',
      'claim_history:v',
      'claims:v',
      'disbursements:v',
      'districts:r',
      'events:v',
      'fiscal_history:v',
      'fiscal_obligations:v',
      'one_time_awards:v',
      'post_close_adjustments:v',
      'programs:r',
      'recoveries:v',
      'status:v',
    ]);
    expect(relations.filter(([, , comment]) => !bilingual.test(comment ?? ''))).toEqual([]);
    const columnComments =
      psqlRows(`SELECT c.relname, a.attname, coalesce(col_description(c.oid, a.attnum), '') FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'r')`);
    expect(columnComments.length).toBe(columns.length);
    expect(columnComments.filter(([, , comment]) => !bilingual.test(comment ?? ''))).toEqual([]);
    const functions =
      psqlRows(`SELECT p.proname, coalesce(obj_description(p.oid, 'pg_proc'), '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'reporting' ORDER BY 1`);
    expect(functions.map(([name]) => name)).toEqual([
      'caps_as_of',
      'claims_as_of',
      'fiscal_obligations_as_of',
    ]);
    expect(functions.filter(([, comment]) => !bilingual.test(comment ?? ''))).toEqual([]);
  });

  it('documents in docs/reporting.md every relation and column with the type and the comments the database has', () => {
    const documented: Row[] = [];
    let relation = '';
    for (const line of readFileSync(DOCS, 'utf8').split('\n')) {
      const heading = /^### reporting\.([a-z_]+) \((?:view|table)\)$/.exec(line);
      if (heading) relation = heading[1] ?? '';
      else if (line.startsWith('#')) relation = '';
      const cells = /^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/.exec(line);
      if (relation !== '' && cells)
        documented.push([relation, cells[1] ?? '', cells[2] ?? '', `${cells[3]} | ${cells[4]}`]);
    }
    const actual =
      psqlRows(`SELECT c.relname, a.attname, replace(format_type(a.atttypid, a.atttypmod), 'timestamp with time zone', 'timestamptz'),
        coalesce(col_description(c.oid, a.attnum), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'r')`);
    expect(actual.length).toBeGreaterThan(100);
    expect(sortRows(documented)).toEqual(sortRows(actual));
  });

  it('lets ledger_reporting read reporting (events as jsonb) and nothing of read_models, event_store or idempotency', async () => {
    const head = await events.headPosition();
    // The stored column is still the json text the hash chain covers; jsonb is computed by the view.
    expect(
      await adminQuery(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'event_store.events'::regclass AND attname IN ('data', 'metadata')`,
      ),
    ).toEqual([{ type: 'json' }, { type: 'json' }]);
    expect(
      psqlRows(
        `SELECT count(*), count(*) FILTER (WHERE jsonb_typeof(data) = 'object' AND metadata ? 'hash'), max(position) FROM reporting.events`,
      ),
    ).toEqual([[head.toString(), head.toString(), head.toString()]]);
    const generation = (await reads.activeCheckpoint())?.generation;
    for (const [schema, relation] of [
      ['read_models', `g${generation}_claims`],
      ['read_models', 'read_model_generations'],
      ['event_store', 'events'],
    ]) {
      const denied = psql(reporterUrl, `SELECT count(*) FROM ${schema}.${relation}`);
      expect({ relation, status: denied.status, stderr: denied.stderr.trim() }).toEqual({
        relation,
        status: 3,
        stderr: expect.stringContaining(
          `permission denied for schema ${schema}`,
        ) as unknown as string,
      });
    }
    const privileges =
      psqlRows(`SELECT nspname, has_schema_privilege(nspname, 'USAGE')::text FROM pg_namespace
      WHERE nspname IN ('reporting', 'read_models', 'event_store', 'idempotency') ORDER BY 1`);
    expect(privileges).toEqual([
      ['event_store', 'false'],
      ['read_models', 'false'],
      ['reporting', 'true'],
    ]);
    const idempotency = await adminQuery<{ usage: boolean }>(
      `SELECT has_schema_privilege('ledger_reporting', n.oid, 'USAGE') AS usage FROM pg_namespace n WHERE n.nspname = 'idempotency'`,
    );
    expect(idempotency.filter((row) => row.usage)).toEqual([]);
    // Read-only: the role cannot write through a view or into the lookups.
    expect(psql(reporterUrl, `DELETE FROM reporting.districts`).stderr).toContain(
      'permission denied',
    );
  });

  it('keeps names and results through rebuilds: the views follow each new generation in the switch, and a reader never sees a gap', async () => {
    const before = reportingSnapshot();
    const generationBefore = (await reads.activeCheckpoint())?.generation;
    const reader = new Client({ connectionString: reporterUrl });
    await reader.connect();
    const seen = new Set<string>();
    const failures: string[] = [];
    let reading = true;
    const readerLoop = (async () => {
      while (reading) {
        try {
          const { rows } = await reader.query<{ n: string; total: string }>(
            'SELECT count(*) AS n, sum(requested_amount)::text AS total FROM reporting.claims',
          );
          seen.add(`${rows[0]?.n}/${rows[0]?.total}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    })();
    try {
      // Two rebuilds: the second drops the first generation, which only works if no view still reads it.
      await supervisor.rebuild();
      await supervisor.rebuild();
    } finally {
      reading = false;
      await readerLoop;
      await reader.end();
    }
    const generationAfter = (await reads.activeCheckpoint())?.generation;
    expect(generationAfter).toBe((generationBefore ?? 0) + 2);
    // The new generation has the indexes of the usual report filters.
    const indexes = await adminQuery<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'read_models' AND indexname LIKE $1 ORDER BY 1`,
      [`g${generationAfter}\\_%`],
    );
    expect(indexes.map((row) => row.indexname.replace(/^g\d+_/, ''))).toEqual(
      expect.arrayContaining([
        'applicants_district',
        'audit_claim',
        'audit_type',
        'claims_applicant',
        'claims_program',
        'claims_status',
      ]),
    );
    expect(failures).toEqual([]);
    expect(seen.size).toBe(1);
    const definitions = await adminQuery<{ viewname: string; definition: string }>(
      `SELECT viewname, definition FROM pg_views WHERE schemaname = 'reporting' AND viewname NOT IN ('events', 'post_close_adjustments')`,
    );
    expect(definitions.length).toBe(11);
    for (const { viewname, definition } of definitions) {
      // Generation tables are named g<N>_…; the status view reads the generation row `generation = <N>`.
      const generations = [
        ...new Set(
          [...definition.matchAll(/\bg(\d+)_|generation = (\d+)/g)].map((match) =>
            Number(match[1] ?? match[2]),
          ),
        ),
      ];
      expect({ viewname, generations }).toEqual({
        viewname,
        generations:
          viewname === 'caps' || viewname === 'fiscal_obligations' ? [] : [generationAfter],
      });
    }
    expect(reportingSnapshot()).toEqual(before);
  });

  it('at open, replaces a view whose columns an older version defined otherwise, with its comments', async () => {
    const before = psqlRows('SELECT * FROM reporting.status');
    await adminQuery(
      `DROP VIEW reporting.status; CREATE VIEW reporting.status AS SELECT 'old'::text AS ledger_position`,
    );
    expect(psqlRows('SELECT * FROM reporting.status')).toEqual([['old']]);
    const reopened = await openPostgresReadStore({
      connectionString: database.connectionString,
      poolSize: 1,
    });
    await reopened.close();
    expect(psqlRows('SELECT * FROM reporting.status')).toEqual(before);
    expect(
      psqlRows(`SELECT format_type(a.atttypid, a.atttypmod), col_description(a.attrelid, a.attnum) FROM pg_attribute a
      WHERE a.attrelid = 'reporting.status'::regclass AND a.attname = 'ledger_position'`),
    ).toEqual([
      ['bigint', '已投影的最后一个事件在总账中的位置 | log position of the last event projected'],
    ]);
  });
});
