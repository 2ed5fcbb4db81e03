import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('operations and the edge', () => {
  let test: TestServer;
  let actors: Actors;
  const dashboardDir = mkdtempSync(join(tmpdir(), 'hz-dashboard-'));
  beforeAll(async () => {
    writeFileSync(
      join(dashboardDir, 'index.html'),
      '<!doctype html><title>ledger dashboard</title>',
    );
    process.env['LEDGER_DASHBOARD_DIR'] = dashboardDir;
    try {
      test = await startTestServer();
    } finally {
      delete process.env['LEDGER_DASHBOARD_DIR'];
    }
    actors = await actorsOf(test);
  });
  afterAll(async () => {
    await test.stop();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('serves the built dashboard at / and unknown API routes as a contract 404', async () => {
    const page = await fetch(`${test.server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ledger dashboard');
    const unknown = await actors.auditor.get('/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ROUTE.NOT_FOUND');
  });

  it('answers liveness and readiness without a token', async () => {
    expect((await actors.anonymous.get('/health/live')).status).toBe(200);
    const ready = await actors.anonymous.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.store.reachable).toBe(true);
    // The stores the environment selected (test/e2e-postgres runs this suite with postgres for both).
    const events = process.env['LEDGER_EVENT_STORE'] || 'sqlite';
    const readModels = process.env['LEDGER_READ_STORE'] || 'sqlite';
    expect(ready.body.stores).toEqual({
      events,
      idempotency: events === 'eventstoredb' ? 'postgres' : events,
      readModels,
      projector: 'in-process',
    });
  });

  it('serves the OpenAPI document with bearer auth and the write endpoints', async () => {
    const response = await fetch(`${test.server.docsUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/claims',
        '/api/v1/claims/{id}/decisions',
        '/api/v1/allocation-plans',
      ]),
    );
    expect(document.components.securitySchemes).toHaveProperty('bearer');
  });

  it('counts requests by status and events appended in /metrics', async () => {
    await registered(actors);
    const metrics = await actors.anonymous.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /ledger_http_requests_total\{method="POST",route="\/api\/v1\/applicants",status="201"\} 1/,
    );
    expect(metrics.body).toMatch(/ledger_events_appended_total [1-9]/);
  });

  it('refuses a missing, malformed or foreign token with 401 and logs who, what, why', async () => {
    const missing = await actors.anonymous.get('/policies');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('AUTH.TOKEN_MISSING');
    const garbage = await actors.anonymous.as('not-a-jwt').get('/policies');
    expect(garbage.status).toBe(401);
    expect(test.auditLines).toContainEqual(
      expect.objectContaining({
        event: 'request.refused',
        actor: 'anonymous',
        status: 401,
        action: 'GET /api/v1/policies',
      }),
    );
  });

  it('refuses the wrong role with 403', async () => {
    const reply = await actors.finance.post('/applicants', {
      uscc: '91330106000000001X',
      name: 'x',
      district: 'xihu',
    });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('AUTH.ROLE_REQUIRED');
  });

  it('lets any authenticated caller read the catalog', async () => {
    const list = await actors.auditor.get('/policies');
    expect(list.status).toBe(200);
    expect(list.body.policies[0].id).toBe('hz-cbec-2023');
    const one = await actors.auditor.get('/policies/hz-cbec-2023');
    expect(one.status).toBe(200);
    expect(one.body.programs).toHaveLength(20);
    expect((await actors.auditor.get('/policies/nope')).status).toBe(404);
  });

  it('runs the projector in-process: the queue shows a write once X-Min-Position is reached', async () => {
    const { uscc, client } = await registered(actors);
    const submitted = await client.post('/claims', claimBody(uscc, 'c6-incubation'));
    const queue = await actors.reviewer.get(`/claims?applicant=${uscc}`, {
      'x-min-position': submitted.body.position,
    });
    expect(queue.status).toBe(200);
    expect(JSON.stringify(queue.body)).toContain(submitted.body.claimId);
    const ready = await actors.anonymous.get('/health/ready');
    expect(ready.body.projections.state).toMatch(/^(running|caught_up)$/);
  });

  it('lets the auditor verify the hash chains over HTTP', async () => {
    const verify = await actors.auditor.get('/audit/verify');
    expect(verify.status).toBe(200);
    expect((await actors.reviewer.get('/audit/verify')).status).toBe(403);
  });
});
