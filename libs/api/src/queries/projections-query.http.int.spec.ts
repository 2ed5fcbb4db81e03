/**
 * The query endpoints over HTTP, on a small hand-written ledger (c3-trademark in xiaoshan: approved
 * 200,000.00 = 50,000.00 city + 150,000.00 district, paid, revoked, partly recovered) projected into SQLite.
 */
import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AuditLogger, AuthModule, mintToken, type Role } from '@hz/auth';
import { usccFromPrefix } from '@hz/ledger';
import { PROJECTION_SCHEMA_VERSION, ProjectionRunner } from '@hz/projections';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Scenario, TestStores } from '../../../projections/src/testing';
import { ApiExceptionFilter } from '../http/errors/http-exception.filter';
import { fastifyServerOptions } from '../http/http-app';
import { ProjectionsQueryModule } from './projections-query.module';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const CO = usccFromPrefix('91330109MA2H00001');
const OTHER = usccFromPrefix('91330108MA2H00002');
const CLAIM = `${CO}-1`;
const CAPS = [{ capId: 'one-time:c3-trademark', cap: '200000.00' }];

let app: INestApplication;
let stores: TestStores;
let baseUrl: string;
let head: bigint;

beforeAll(async () => {
  stores = TestStores.create('query-http-');
  const scenario = new Scenario('2024-03-01T02:00:00.000Z')
    .register(CO, 'xiaoshan')
    .register(OTHER, 'xihu')
    .submit(CLAIM, 'c3-trademark', '210000.00', CAPS)
    .approve(CLAIM, {
      amount: '200000.00',
      cityShare: '50000.00',
      districtShare: '150000.00',
      district: 'xiaoshan',
      caps: CAPS,
    })
    .disburse(CLAIM, 'city', '50000.00', '2024-03-05')
    .disburse(CLAIM, 'district', '100000.00', '2024-03-06')
    .submit(`${OTHER}-1`, 'c3-trademark', '10.00', CAPS)
    .at('2024-05-10T03:00:00.000Z')
    .revoke(
      CLAIM,
      'xiaoshan',
      { city: '0.00', district: '50000.00' },
      { city: '50000.00', district: '100000.00' },
    )
    .at('2024-06-01T03:00:00.000Z')
    .recover(CLAIM, 'city', '20000.00', '2024-06-01');
  head = await stores.append(scenario.generated);
  const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
  await new ProjectionRunner(stores.events, stores.reads, generation).catchUp();
  await stores.reads.activate(generation, 0n);

  @Module({
    imports: [
      AuthModule.forRoot({ secret: SECRET }),
      ProjectionsQueryModule.forRoot({ readStore: stores.reads, minPositionWaitMs: 100 }),
    ],
    providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
  })
  class TestAppModule {}

  // LEDGER_HTTP_ADAPTER=fastify runs the same requests on Fastify (issue 12).
  app =
    process.env['LEDGER_HTTP_ADAPTER'] === 'fastify'
      ? await NestFactory.create(TestAppModule, new FastifyAdapter(fastifyServerOptions()), {
          logger: false,
        })
      : await NestFactory.create(TestAppModule, { logger: false });
  app.get(AuditLogger).useSink(() => undefined);
  app.setGlobalPrefix('api/v1');
  await app.listen(0, '127.0.0.1');
  baseUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
});

afterAll(async () => {
  await app?.close();
  await stores?.close();
});

async function get(
  path: string,
  as: { roles: Role[]; applicant?: string },
  headers: Record<string, string> = {},
) {
  const token = await mintToken({
    sub: 'tester',
    roles: as.roles,
    ...(as.applicant ? { applicant: as.applicant } : {}),
    secret: SECRET,
    ttl: '5m',
  });
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return {
    status: response.status,
    headers: response.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read any field of any answer
    body: (await response.json()) as any,
  };
}

const REVIEWER = { roles: ['reviewer'] as Role[] };
const FINANCE = { roles: ['finance'] as Role[] };

describe('GET /claims', () => {
  it('lists the queue with money as 2-digit strings and pages with a cursor', async () => {
    const first = await get('/claims?limit=1', REVIEWER);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-projection-position')).toBe(head.toString());
    expect(first.body.items).toEqual([
      expect.objectContaining({
        claimId: CLAIM,
        status: 'revoked',
        approvedAmount: '200000.00',
        paid: { city: '50000.00', district: '100000.00' },
        receivable: { city: '50000.00', district: '100000.00' },
        recovered: { city: '20000.00', district: '0.00' },
      }),
    ]);
    const second = await get(`/claims?limit=1&cursor=${first.body.nextCursor}`, REVIEWER);
    expect(second.body.items.map((c: { claimId: string }) => c.claimId)).toEqual([`${OTHER}-1`]);
    expect(second.body.nextCursor).toBeNull();
    expect((await get('/claims?status=submitted', REVIEWER)).body.items).toHaveLength(1);
  });

  it('shows an applicant only its own claims and refuses another applicant (403)', async () => {
    const own = await get('/claims', { roles: ['applicant'], applicant: OTHER });
    expect(own.body.items.map((c: { applicant: string }) => c.applicant)).toEqual([OTHER]);
    const other = await get(`/claims?applicant=${CO}`, { roles: ['applicant'], applicant: OTHER });
    expect(other).toMatchObject({
      status: 403,
      body: { error: { code: 'AUTH.NOT_YOUR_APPLICANT' } },
    });
  });

  it('refuses bad parameters with 400 naming them', async () => {
    const bad = await get('/claims?status=paid&limit=0&colour=red', REVIEWER);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST.INVALID');
    expect(bad.body.error.details.map((p: { path: string }) => p.path).sort()).toEqual([
      'colour',
      'limit',
      'status',
    ]);
  });
});

describe('GET /projections/caps', () => {
  it('answers now and asOf an earlier ledger time', async () => {
    const now = await get(`/projections/caps?applicant=${CO}&supportYear=2024`, REVIEWER);
    expect(now.body.caps).toEqual([
      {
        capId: 'one-time:c3-trademark',
        kind: 'one-time',
        programCode: 'c3-trademark',
        supportYear: null,
        subjectKey: null,
        cap: '200000.00',
        granted: '0.00',
        remaining: '200000.00',
        paid: '130000.00',
        position: expect.any(String),
      },
    ]);
    const before = await get(
      `/projections/caps?applicant=${CO}&asOf=2024-05-10T11:00:00%2B08:00`,
      REVIEWER,
    );
    expect(before.body).toMatchObject({
      asOf: '2024-05-10T03:00:00.000Z',
      caps: [{ granted: '0.00' }],
    });
    const earlier = await get(
      `/projections/caps?applicant=${CO}&asOf=2024-05-10T02:59:59Z`,
      REVIEWER,
    );
    expect(earlier.body.caps[0]).toMatchObject({
      granted: '200000.00',
      remaining: '0.00',
      paid: '150000.00',
    });
  });

  it('refuses a bad asOf (400) and another applicant (403)', async () => {
    const bad = await get(`/projections/caps?applicant=${CO}&asOf=yesterday`, REVIEWER);
    expect(bad).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'REQUEST.INVALID',
          details: [{ path: 'asOf', code: 'QUERY.AS_OF_INVALID' }],
        },
      },
    });
    expect(
      (await get(`/projections/caps?applicant=${CO}`, { roles: ['applicant'], applicant: OTHER }))
        .status,
    ).toBe(403);
  });
});

describe('GET /projections/one-time-awards', () => {
  it('lists awards with their status', async () => {
    const awards = await get('/projections/one-time-awards?programCode=c3-trademark', FINANCE);
    expect(awards.body.items).toEqual([
      {
        applicant: CO,
        programCode: 'c3-trademark',
        claimId: CLAIM,
        amount: '200000.00',
        status: 'revoked',
      },
    ]);
  });
});

describe('GET /projections/fiscal-obligations', () => {
  it('reports a district per month with closing balances', async () => {
    const report = await get(
      '/projections/fiscal-obligations?funder=xiaoshan&period=month&from=2024-03&to=2024-05',
      FINANCE,
    );
    expect(report.status).toBe(200);
    expect(
      report.body.rows.map((r: Record<string, string>) => [
        r['period'],
        r['committed'],
        r['disbursed'],
        r['cancelled'],
        r['outstanding'],
        r['receivable'],
      ]),
    ).toEqual([
      ['2024-03', '150000.00', '100000.00', '0.00', '50000.00', '0.00'],
      ['2024-04', '0.00', '0.00', '0.00', '50000.00', '0.00'],
      ['2024-05', '0.00', '0.00', '50000.00', '0.00', '100000.00'],
    ]);
  });

  it('answers asOf before the revocation', async () => {
    const report = await get(
      '/projections/fiscal-obligations?funder=xiaoshan&period=year&asOf=2024-04-01T00:00:00Z',
      FINANCE,
    );
    expect(report.body.rows).toEqual([
      expect.objectContaining({
        period: '2024',
        committed: '150000.00',
        cancelled: '0.00',
        outstanding: '50000.00',
      }),
    ]);
  });

  it('stacks by policy clause with groupBy=clause, exact at asOf, and keeps the plain shape without it', async () => {
    const report = await get('/projections/fiscal-obligations?period=year&groupBy=clause', FINANCE);
    expect(report.status).toBe(200);
    expect(report.body.groupBy).toBe('clause');
    expect(report.body.rows).toEqual([
      {
        funder: 'city',
        clause: '二(三)',
        period: '2024',
        committed: '50000.00',
        disbursed: '50000.00',
        cancelled: '0.00',
        outstanding: '0.00',
        receivable: '50000.00',
        recovered: '20000.00',
        receivableOutstanding: '30000.00',
      },
      {
        funder: 'xiaoshan',
        clause: '二(三)',
        period: '2024',
        committed: '150000.00',
        disbursed: '100000.00',
        cancelled: '50000.00',
        outstanding: '0.00',
        receivable: '100000.00',
        recovered: '0.00',
        receivableOutstanding: '100000.00',
      },
    ]);
    const before = await get(
      '/projections/fiscal-obligations?funder=xiaoshan&period=year&groupBy=clause&asOf=2024-04-01T00:00:00Z',
      FINANCE,
    );
    expect(before.body.rows).toEqual([
      expect.objectContaining({
        clause: '二(三)',
        committed: '150000.00',
        cancelled: '0.00',
        outstanding: '50000.00',
      }),
    ]);
    const plain = await get('/projections/fiscal-obligations?period=year', FINANCE);
    expect(Object.keys(plain.body).sort()).toEqual([
      'asOf',
      'checkpoint',
      'from',
      'funder',
      'period',
      'rows',
      'to',
    ]);
    expect(plain.body.rows.every((row: object) => !('clause' in row))).toBe(true);
    const bad = await get('/projections/fiscal-obligations?groupBy=program', FINANCE);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((p: { code: string }) => p.code)).toEqual([
      'QUERY.GROUP_BY_INVALID',
    ]);
  });

  it('is for staff only, and validates period and asOf', async () => {
    expect(
      (await get('/projections/fiscal-obligations', { roles: ['applicant'], applicant: CO }))
        .status,
    ).toBe(403);
    const bad = await get('/projections/fiscal-obligations?period=week&asOf=2024-13-01', FINANCE);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((p: { code: string }) => p.code).sort()).toEqual([
      'QUERY.AS_OF_INVALID',
      'QUERY.PERIOD_INVALID',
    ]);
  });
});

describe('GET /applicants', () => {
  it('finds applicants by a part of the registered name, with the current district, bounded by limit', async () => {
    const found = await get(
      `/applicants?name=${encodeURIComponent(`Co ${CO.slice(-4)}`)}`,
      REVIEWER,
    );
    expect(found.status).toBe(200);
    expect(found.headers.get('x-projection-position')).toBe(head.toString());
    expect(found.body).toMatchObject({
      name: `Co ${CO.slice(-4)}`,
      limit: 20,
      items: [{ uscc: CO, name: `Co ${CO.slice(-4)}`, district: 'xiaoshan' }],
    });
    const all = await get('/applicants?name=Co&limit=1', FINANCE);
    expect(all.body.items).toHaveLength(1);
    expect((await get('/applicants?name=nobody', REVIEWER)).body.items).toEqual([]);
  });

  it('is for staff only and refuses bad parameters with 400 naming them', async () => {
    expect((await get('/applicants?name=Co', { roles: ['applicant'], applicant: CO })).status).toBe(
      403,
    );
    const missing = await get('/applicants', REVIEWER);
    expect(missing.status).toBe(400);
    expect(
      missing.body.error.details.map((p: { path: string; code: string }) => [p.path, p.code]),
    ).toEqual([['name', 'FIELD.REQUIRED']]);
    const bad = await get(`/applicants?name=%20%20&limit=101&x=1`, REVIEWER);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST.INVALID');
    expect(
      bad.body.error.details.map((p: { path: string; code: string }) => p.path).sort(),
    ).toEqual(['limit', 'name', 'x']);
  });
});

describe('X-Min-Position', () => {
  it('answers at once when the projection is there, and 503 PROJECTION.NOT_CAUGHT_UP after the bounded wait otherwise', async () => {
    expect((await get('/claims', REVIEWER, { 'x-min-position': head.toString() })).status).toBe(
      200,
    );
    const late = await get('/claims', REVIEWER, { 'x-min-position': (head + 5n).toString() });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('1');
    expect(late.body.error).toMatchObject({
      code: 'PROJECTION.NOT_CAUGHT_UP',
      details: { minPosition: (head + 5n).toString(), checkpoint: head.toString() },
    });
    expect((await get('/claims', REVIEWER, { 'x-min-position': 'soon' })).status).toBe(400);
  });
});

it('documents the endpoints in OpenAPI', () => {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  expect(Object.keys(document.paths)).toEqual(
    expect.arrayContaining([
      '/api/v1/claims',
      '/api/v1/applicants',
      '/api/v1/projections/caps',
      '/api/v1/projections/one-time-awards',
      '/api/v1/projections/fiscal-obligations',
    ]),
  );
  expect(
    document.paths['/api/v1/projections/fiscal-obligations']?.get?.parameters?.map((p) =>
      'name' in p ? p.name : '',
    ),
  ).toEqual(
    expect.arrayContaining(['funder', 'period', 'from', 'to', 'asOf', 'groupBy', 'X-Min-Position']),
  );
});

describe('GET /projections/audit-trail', () => {
  it('pages every claim event in log order, with the event data, for staff', async () => {
    const first = await get('/projections/audit-trail?limit=3', { roles: ['auditor'] });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-projection-position')).toBe(head.toString());
    expect(first.body.items.map((e: { type: string }) => e.type)).toEqual([
      'ClaimSubmitted',
      'ClaimApproved',
      'DisbursementRecorded',
    ]);
    expect(first.body.items[1]).toMatchObject({
      claimId: CLAIM,
      streamId: `applicant-${CO}`,
      data: { amount: '200000.00' },
    });
    const rest = await get(`/projections/audit-trail?cursor=${first.body.nextCursor}`, FINANCE);
    expect(rest.body.items.map((e: { type: string }) => e.type)).toEqual([
      'DisbursementRecorded',
      'ClaimSubmitted',
      'ClaimRevoked',
      'RecoveryRecorded',
    ]);
    expect(rest.body.nextCursor).toBeNull();
    const positions = [...first.body.items, ...rest.body.items].map((e: { position: string }) =>
      BigInt(e.position),
    );
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('filters by event type', async () => {
    const paid = await get('/projections/audit-trail?type=DisbursementRecorded', FINANCE);
    expect(paid.body.items.map((e: { data: { amount: string } }) => e.data.amount)).toEqual([
      '50000.00',
      '100000.00',
    ]);
  });

  it('refuses an unknown event type with 400 and an applicant with 403', async () => {
    const bad = await get('/projections/audit-trail?type=Nope&limit=0', FINANCE);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { code: string }) => d.code).sort()).toEqual([
      'QUERY.EVENT_TYPE_INVALID',
      'QUERY.INTEGER_OUT_OF_RANGE',
    ]);
    const applicant = await get('/projections/audit-trail', {
      roles: ['applicant'],
      applicant: CO,
    });
    expect(applicant.status).toBe(403);
  });
});
