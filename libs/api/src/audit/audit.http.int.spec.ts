/**
 * The auditor's HTTP operations on a small ledger written through LedgerService: role auditor only,
 * verify / seal / export answer with the same code as the CLI.
 */
import 'reflect-metadata';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointSignatureValid, type Checkpoint } from '@hz/audit';
import { AuthModule, mintToken, type Role } from '@hz/auth';
import { openSqliteEventStore, systemClock, type EventStore } from '@hz/event-store';
import { usccFromPrefix } from '@hz/ledger';
import { HZ_CBEC_2023 } from '@hz/policy';
import { LedgerService } from '@hz/application';
import { CLOCK, EVENT_STORE } from '../tokens';
import { AuditHttpModule } from './audit-http.module';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
jest.setTimeout(60_000);

let app: INestApplication;
let store: EventStore;
let baseUrl: string;
const dataDir = mkdtempSync(join(tmpdir(), 'audit-http-'));

beforeAll(async () => {
  store = await openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  const service = new LedgerService({
    store,
    catalog: HZ_CBEC_2023,
    countersignThreshold: HZ_CBEC_2023.countersignThreshold,
    clock: systemClock,
  });
  const uscc = usccFromPrefix('91330100ADHTTP123');
  const meta = (actor: string, role: Role, key: string) =>
    ({
      actor,
      role,
      idempotencyKey: key,
      correlationId: key,
      causationId: key,
      now: new Date().toISOString(),
    }) as const;
  await service.execute({
    type: 'RegisterApplicant',
    data: { uscc, name: 'Audit HTTP Co', district: 'xihu' },
    metadata: meta('admin-1', 'admin', 'k1'),
  } as never);
  await service.execute({
    type: 'SubmitClaim',
    data: {
      applicant: uscc,
      programCode: 'c6-incubation',
      supportYear: 2024,
      requestedAmount: '10000.00',
      evidence: { incubationProject: 'X' },
    },
    metadata: { ...meta(`applicant-${uscc}`, 'applicant', 'k2'), applicant: uscc },
  } as never);

  @Global()
  @Module({
    providers: [
      { provide: EVENT_STORE, useValue: store },
      { provide: CLOCK, useValue: systemClock },
    ],
    exports: [EVENT_STORE, CLOCK],
  })
  class StoresModule {}

  @Module({
    imports: [
      StoresModule,
      AuthModule.forRoot({ secret: SECRET }),
      AuditHttpModule.register({ dataDir }),
    ],
  })
  class TestAppModule {}

  app = await NestFactory.create(TestAppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  baseUrl = `${await app.getUrl()}`.replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

const bearer = async (role: Role) => ({
  authorization: `Bearer ${await mintToken({ sub: `${role}-1`, roles: [role], secret: SECRET, ttl: '5m' })}`,
});

describe('audit over HTTP', () => {
  it('GET /audit/verify answers the verification report to an auditor', async () => {
    const response = await fetch(`${baseUrl}/audit/verify`, { headers: await bearer('auditor') });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { ok: boolean; eventCount: number };
    expect(report).toMatchObject({ ok: true, eventCount: 2 });
  });

  it('refuses every other role (403) and anonymous callers (401)', async () => {
    expect(
      (await fetch(`${baseUrl}/audit/verify`, { headers: await bearer('reviewer') })).status,
    ).toBe(403);
    expect((await fetch(`${baseUrl}/audit/verify`)).status).toBe(401);
  });

  it('POST /audit/checkpoints seals the log with a verifiable signature', async () => {
    const response = await fetch(`${baseUrl}/audit/checkpoints`, {
      method: 'POST',
      headers: await bearer('auditor'),
    });
    expect(response.status).toBe(201);
    const checkpoint = (await response.json()) as Checkpoint;
    expect(checkpoint.eventCount).toBe(2);
    expect(checkpointSignatureValid(checkpoint)).toBe(true);
  });

  it('GET /audit/export gives xlsx or one csv sheet, and refuses a bad format', async () => {
    const headers = await bearer('auditor');
    const xlsx = await fetch(`${baseUrl}/audit/export?asOf=2030-01-01&format=xlsx`, { headers });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const csv = await fetch(`${baseUrl}/audit/export?asOf=2030-01-01&format=csv&sheet=claims`, {
      headers,
    });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('申请编号');
    expect(
      (await fetch(`${baseUrl}/audit/export?asOf=2030-01-01&format=pdf`, { headers })).status,
    ).toBe(400);
    expect(
      (await fetch(`${baseUrl}/audit/export?asOf=yesterday&format=csv`, { headers })).status,
    ).toBe(400);
  });

  it('GET /audit/export defaults asOf to now, serves the summary and per-funder sheets, and refuses bad options with a stable code', async () => {
    const headers = await bearer('auditor');
    const summary = await fetch(`${baseUrl}/audit/export?format=csv&sheet=summary`, { headers });
    expect(summary.status).toBe(200);
    const body = Buffer.from(await summary.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8').split('\r\n')[0]).toBe(
      '\uFEFF出资方代码,出资方,已承诺,已拨付,已取消,未拨付余额,应收,已追回,应收余额',
    );
    const legacy = await fetch(`${baseUrl}/audit/export?format=csv&sheet=obligations`, { headers });
    expect((await legacy.text()).split('\r\n')[0]).toContain('月份');
    const badFlag = await fetch(`${baseUrl}/audit/export?format=xlsx&byFunder=yes`, { headers });
    expect(badFlag.status).toBe(400);
    expect(((await badFlag.json()) as { error: { code: string } }).error.code).toBe(
      'AUDIT.BY_FUNDER_INVALID',
    );
    const badSheet = await fetch(`${baseUrl}/audit/export?format=csv&sheet=../etc`, { headers });
    expect(((await badSheet.json()) as { error: { code: string } }).error.code).toBe(
      'AUDIT.SHEET_INVALID',
    );
    const noFunder = await fetch(`${baseUrl}/audit/export?format=csv&sheet=funder-nowhere`, {
      headers,
    });
    expect(noFunder.status).toBe(404);
    expect(((await noFunder.json()) as { error: { code: string } }).error.code).toBe(
      'AUDIT.SHEET_NOT_FOUND',
    );
  });
});
