/**
 * Post-close adjustments apart in the PostgreSQL reporting schema (issue 18; docs/reporting.md
 * "reporting.post_close_adjustments", docs/operations.md "Period close"), queried as an analyst would,
 * with psql: a claim on the real command path, 2024 closed and three adjustments recorded through
 * closePeriod / recordPostCloseAdjustment on PostgreSQL; the view has one row per adjustment, its sums per
 * funder and kind equal the recorded amounts to the fen, the amount is numeric(18,2), and the view and
 * every column carry the bilingual comments.
 */
import { spawnSync } from 'node:child_process';
import {
  closePeriod,
  LedgerService,
  recordPostCloseAdjustment,
  type PeriodCaller,
} from '@hz/application';
import {
  createThrowawayDatabase,
  openPostgresEventStore,
  type PostgresEventStore,
  type ThrowawayDatabase,
} from '@hz/event-store';
import { usccFromPrefix, type LedgerCommand } from '@hz/ledger';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';

jest.setTimeout(120_000);

const NOW = '2025-01-10T02:00:00.000Z';
const clock = { now: () => new Date(NOW) };
const uscc = usccFromPrefix('91330106MA2P00018');
const claimId = `${uscc}-1`;
const ADJUSTMENTS = [
  { funder: 'city', kind: 'disbursement', amount: '1000.10', reference: 'ADJ-2024-0001' },
  { funder: 'city', kind: 'disbursement', amount: '0.20', reference: 'ADJ-2024-0002' },
  { funder: 'district', kind: 'recovery', amount: '80.10', reference: 'ADJ-2024-0003' },
] as const;

let database: ThrowawayDatabase;
let store: PostgresEventStore;
let serial = 0;

const caller = (actor: string, role: PeriodCaller['role']): PeriodCaller => {
  serial += 1;
  return { actor, role, idempotencyKey: `adj-spec-${serial}`, now: NOW };
};

/** psql as an analyst runs it: unaligned, tuples only, one row a line (fields apart on U+001F, not `|`: comments hold it). */
function psql(sql: string): string[][] {
  const run = spawnSync(
    'psql',
    [database.connectionString, '-X', '-At', '-F', '\u001f', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    {
      encoding: 'utf8',
      env: { ...process.env, PGTZ: 'UTC' },
    },
  );
  if (run.status !== 0) throw new Error(`psql failed (${run.status}): ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\u001f'));
}

beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_adjustments');
  // The group role is the cluster's (the read store creates it, NOLOGIN); the event store grants to it.
  psql(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_reporting')
    THEN CREATE ROLE ledger_reporting NOLOGIN; END IF; END $$`);
  store = await openPostgresEventStore({ connectionString: database.connectionString, clock });
  const service = new LedgerService({
    store,
    catalog: HZ_CBEC_2023,
    countersignThreshold: HZ_CBEC_2023.countersignThreshold,
    clock,
  });
  const send = (
    command: Omit<LedgerCommand, 'metadata'>,
    actor: string,
    role: string,
    extra = {},
  ) => {
    serial += 1;
    const key = `cmd-spec-${serial}`;
    return service.execute({
      ...command,
      metadata: {
        actor,
        role,
        now: NOW,
        idempotencyKey: key,
        correlationId: key,
        causationId: key,
        ...extra,
      },
    } as LedgerCommand);
  };
  await send(
    {
      type: 'RegisterApplicant',
      data: { uscc, name: '杭州期后调整测试有限公司', district: 'xihu' },
    },
    'root-admin',
    'admin',
  );
  await send(
    {
      type: 'SubmitClaim',
      data: {
        applicant: uscc,
        programCode: 'c4-brand-promotion',
        supportYear: 2024,
        requestedAmount: '300000.00',
        evidence: {
          items: [{ date: '2024-04-01', amount: '1200000.00', channel: 'live-streaming' }],
        },
      },
    } as Omit<LedgerCommand, 'metadata'>,
    `app-${uscc}`,
    'applicant',
    { applicant: uscc },
  );
  await closePeriod(
    store,
    { period: '2024', reasons: ['year end'] },
    caller('root-admin', 'admin'),
  );
  for (const adjustment of ADJUSTMENTS)
    await recordPostCloseAdjustment(
      store,
      {
        ...adjustment,
        subjectId: claimId,
        datedOn: '2024-12-30',
        reasons: ['paid on 30 December', 'entered after the close'],
      },
      caller('ada-adjuster', 'adjuster'),
    );
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

describe('reporting.post_close_adjustments on PostgreSQL', () => {
  it('has one typed row per adjustment, read through psql', () => {
    const rows = psql(
      `SELECT period, funder, kind, subject_id, amount, reference, dated_on, array_to_json(reasons), actor, recorded_at
       FROM reporting.post_close_adjustments ORDER BY position`,
    );
    expect(rows).toEqual(
      ADJUSTMENTS.map((adjustment) => [
        '2024',
        adjustment.funder,
        adjustment.kind,
        claimId,
        adjustment.amount,
        adjustment.reference,
        '2024-12-30',
        '["paid on 30 December","entered after the close"]',
        'ada-adjuster',
        '2025-01-10 02:00:00+00',
      ]),
    );
    // The positions and event ids are those of the log (and nothing else of the log is in the view).
    expect(
      psql(`SELECT count(*) FROM reporting.post_close_adjustments a JOIN reporting.events e
        ON e.position = a.position AND e.event_id = a.event_id AND e.type = 'PostCloseAdjustmentRecorded'`),
    ).toEqual([[String(ADJUSTMENTS.length)]]);
  });

  it('sums per funder and kind to the recorded amounts exactly, as numeric(18,2)', () => {
    const expected = new Map<string, Money[]>();
    for (const { funder, kind, amount } of ADJUSTMENTS)
      expected.set(`${funder}/${kind}`, [
        ...(expected.get(`${funder}/${kind}`) ?? []),
        Money.parse(amount),
      ]);
    expect(
      psql(`SELECT funder, kind, sum(amount), pg_typeof(sum(amount))::text, count(*)
        FROM reporting.post_close_adjustments GROUP BY 1, 2 ORDER BY 1, 2`),
    ).toEqual(
      [...expected.entries()].map(([key, amounts]) => [
        ...key.split('/'),
        Money.sum(amounts).toString(),
        'numeric',
        String(amounts.length),
      ]),
    );
    expect(
      psql(`SELECT column_name, data_type, coalesce(numeric_precision, 0), coalesce(numeric_scale, 0)
        FROM information_schema.columns WHERE table_schema = 'reporting' AND table_name = 'post_close_adjustments'
        ORDER BY ordinal_position`),
    ).toEqual([
      ['position', 'bigint', '64', '0'],
      ['event_id', 'text', '0', '0'],
      ['period', 'text', '0', '0'],
      ['funder', 'text', '0', '0'],
      ['kind', 'text', '0', '0'],
      ['subject_id', 'text', '0', '0'],
      ['amount', 'numeric', '18', '2'],
      ['reference', 'text', '0', '0'],
      ['dated_on', 'date', '0', '0'],
      ['reasons', 'ARRAY', '0', '0'],
      ['actor', 'text', '0', '0'],
      ['recorded_at', 'timestamp with time zone', '0', '0'],
    ]);
  });

  it('is granted to ledger_reporting like reporting.events, and nothing else writes through it', () => {
    expect(
      psql(`SELECT has_table_privilege('ledger_reporting', 'reporting.post_close_adjustments', 'SELECT'),
        has_table_privilege('ledger_reporting', 'reporting.events', 'SELECT'),
        has_table_privilege('ledger_reporting', 'reporting.post_close_adjustments', 'INSERT')`),
    ).toEqual([['t', 't', 'f']]);
  });

  it('carries bilingual comments on the view and every column, and is no part of fiscal_obligations', () => {
    const bilingual = /^[^|]*[\u4e00-\u9fff][^|]* \| [ -~]*[A-Za-z][ -~]*$/u;
    const [[viewComment = ''] = []] = psql(
      `SELECT obj_description('reporting.post_close_adjustments'::regclass, 'pg_class')`,
    );
    expect(viewComment).toMatch(bilingual);
    const columns = psql(`SELECT a.attname, coalesce(col_description(a.attrelid, a.attnum), '')
      FROM pg_attribute a WHERE a.attrelid = 'reporting.post_close_adjustments'::regclass AND a.attnum > 0
      ORDER BY a.attnum`);
    expect(columns.length).toBe(12);
    expect(columns.filter(([, comment = '']) => !bilingual.test(comment))).toEqual([]);
    expect(
      psql(`SELECT count(*) FROM pg_views WHERE schemaname = 'reporting'
        AND viewname = 'post_close_adjustments' AND definition ILIKE '%fiscal%'`),
    ).toEqual([['0']]);
  });
});
