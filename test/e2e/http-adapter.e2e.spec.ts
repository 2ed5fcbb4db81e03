/**
 * LEDGER_HTTP_ADAPTER (issue 12): the HTTP edge answers the same on Express and on Fastify, whichever the
 * environment of the run selects. The whole suite runs on either (`LEDGER_HTTP_ADAPTER=fastify npx jest -c
 * test/e2e/jest.config.js`); this file starts one server per adapter in every run, so the Fastify side is
 * exercised by `npm test` too: what libs/api/src/http/http-app.ts wires differently on each (the body read
 * by body-parser from Fastify's content-type parser, the body guard there, the request fields shared by
 * middleware and handlers, strict routing by router options, Swagger's files served without @fastify/static).
 */
import { AsyncResource } from 'node:async_hooks';
import { request as httpRequest } from 'node:http';
import { actorsOf, newUscc, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** One request as written (no fetch normalisation of the target or the body). */
function raw(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawReply> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(['express', 'fastify'] as const)('the HTTP edge on %s', (adapter) => {
  let test: TestServer;
  let actors: Actors;
  let origin: string;
  let adminToken: string;

  beforeAll(async () => {
    test = await startTestServer({ env: { LEDGER_HTTP_ADAPTER: adapter } });
    actors = await actorsOf(test);
    origin = test.server.url;
    adminToken = await test.token('root-admin', ['admin']);
  });
  afterAll(() => test.stop());

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    raw(
      origin,
      'POST',
      path,
      {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
        'idempotency-key': `key-${Math.random().toString(36).slice(2)}`,
        ...headers,
      },
      body,
    );

  it('runs on the adapter the environment chose', () => {
    expect(test.server.app.getHttpAdapter().getType()).toBe(adapter);
  });

  it('writes, replays and reads with the headers of the contract', async () => {
    const uscc = newUscc();
    const key = `replay-${uscc}`;
    const body = JSON.stringify({ uscc, name: 'Replay Co', district: 'xihu' });
    const first = await post('/api/v1/applicants', body, { 'idempotency-key': key });
    const again = await post('/api/v1/applicants', body, { 'idempotency-key': key });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(again.text)).toEqual(JSON.parse(first.text));
    const read = await actors.admin.get(`/applicants/${uscc}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(read.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(read.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(read.headers.get('x-powered-by')).toBeNull();
  });

  it('reads JSON bodies strictly, within the limit, and refuses in the contract shape', async () => {
    const malformed = await post('/api/v1/applicants', '{"uscc":');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).error.code).toBe('REQUEST.MALFORMED_JSON');
    // strict: a bare JSON string is not a body
    const scalar = await post('/api/v1/applicants', '"text"');
    expect(scalar.status).toBe(400);
    expect(JSON.parse(scalar.text).error.code).toBe('REQUEST.MALFORMED_JSON');
    const large = await post('/api/v1/applicants', JSON.stringify({ name: 'x'.repeat(300_000) }));
    expect(large.status).toBe(413);
    expect(JSON.parse(large.text).error.code).toBe('REQUEST.TOO_LARGE');
    const encoding = await post('/api/v1/applicants', '{}', { 'content-encoding': 'snappy' });
    expect(encoding.status).toBe(415);
    expect(JSON.parse(encoding.text).error.code).toBe('REQUEST.UNSUPPORTED_ENCODING');
    // the body guard: prototype keys and depth, before validation
    const proto = await post('/api/v1/applicants', '{"__proto__":{"x":1}}');
    expect(proto.status).toBe(400);
    expect(JSON.parse(proto.text).error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'FIELD.UNKNOWN' })]),
    );
    const deep = await post('/api/v1/applicants', `${'['.repeat(40)}${']'.repeat(40)}`);
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.text).error.code).toBe('REQUEST.TOO_DEEP');
    // a body that is not JSON is not read: the DTO refuses the missing fields (as on Express)
    const text = await post('/api/v1/applicants', 'uscc=1', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(JSON.parse(text.text).error.code).toBe('REQUEST.INVALID');
    // the refusals were logged with the request's route and actor
    expect(test.auditLines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'REQUEST.MALFORMED_JSON',
          actor: 'anonymous',
          requestId: expect.any(String),
        }),
      ]),
    );
  });

  it('reads a body without binding an AsyncResource per request', async () => {
    // Fastify's own ContentTypeParser.run binds one per body, which on Node 20 costs two util.deprecate
    // calls (docs/benchmarks.md, "The write path, session 7"); http-app.ts runs our parser without it.
    const bind = jest.spyOn(AsyncResource.prototype, 'bind');
    try {
      const uscc = newUscc();
      const created = await post(
        '/api/v1/applicants',
        JSON.stringify({ uscc, name: 'Bind Co', district: 'xihu' }),
      );
      expect(created.status).toBe(201);
      const malformed = await post('/api/v1/applicants', '{"uscc":');
      expect(malformed.status).toBe(400);
      // Fastify closes the connection after a refused body, as its own run does (the client may still send)
      if (adapter === 'fastify') expect(malformed.headers['connection']).toBe('close');
      expect(bind).not.toHaveBeenCalled();
    } finally {
      bind.mockRestore();
    }
  });

  it('routes strictly and case-sensitively, in the contract shape', async () => {
    for (const path of [
      '/API/v1/health/live',
      '/api/v1/Health/live',
      '/api/v1/health/live/',
      '/api/v1/nothing-here',
      '/API/V1/AUTH/CONFIG',
    ]) {
      const reply = await raw(origin, 'GET', path);
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
      expect(JSON.parse(reply.text).error.code).toBe('ROUTE.NOT_FOUND');
    }
    expect((await raw(origin, 'GET', '/api/v1/auth/config')).status).toBe(200);
    // the sign-in endpoints run at the edge (on Fastify in its request hook): a caller, or 401
    const me = await actors.admin.get('/auth/me');
    expect(me.status).toBe(200);
    expect((me.body as { roles: unknown }).roles).toContain('admin');
    const anonymous = await raw(origin, 'GET', '/api/v1/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-content-type-options']).toBe('nosniff');
    // a target that does not decode: refused by the router (Fastify) or the app, with the edge's headers
    const undecodable = await raw(origin, 'GET', '/api/v1/claims/%E0%A4%A');
    expect(undecodable.status).toBe(400);
    expect(undecodable.headers['content-security-policy']).toContain("default-src 'self'");
    expect(undecodable.headers['x-content-type-options']).toBe('nosniff');
    expect(typeof JSON.parse(undecodable.text).error.code).toBe('string');
    // a long id is the handler's to refuse, not the router's
    const long = await actors.admin.get(`/applicants/${'9'.repeat(300)}`);
    expect(long.status).toBe(400);
  });

  it('labels metrics with the route template, also for middleware refusals', async () => {
    await actors.admin.get('/applicants/91330100MA27XXXXXX');
    const metrics = await raw(origin, 'GET', '/api/v1/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain('route="/api/v1/applicants/:uscc"');
    expect(metrics.text).toContain('route="unmatched"');
  });

  it('serves the OpenAPI page, its files and the document', async () => {
    const page = await raw(origin, 'GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    const css = await raw(origin, 'GET', '/api/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    // the docs' files carry the edge's headers too, with the docs' own policy
    expect(css.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(css.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw(origin, 'GET', '/API/DOCS/swagger-ui.css')).status).toBe(404);
    const document = await raw(origin, 'GET', '/api/docs/openapi.json');
    expect(JSON.parse(document.text).paths['/api/v1/applicants']).toBeDefined();
  });
});
