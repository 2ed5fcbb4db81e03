/**
 * Issue 11, the HTTP edge against hostile clients (docs/decisions.md, "HTTP edge"): bodies that do not
 * decode, bodies nested thousands of levels deep and prototype keys are refused on every write route with
 * 400 in the contract's shape, before authentication, and nothing is recorded; a route has one spelling,
 * and the rate limit counts every request that reaches a handler.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { AuditLogger } from '@hz/auth';
import { actorsOf, claimBody, newUscc, registered, type Actors } from './support/fixtures';
import type { Client } from './support/client';
import { startTestServer, type TestServer } from './support/server';

type Actor = 'admin' | 'reviewer' | 'reviewer2' | 'finance' | 'applicant';

interface WriteRoute {
  readonly actor: Actor;
  readonly path: string;
  /** A body of the right shape for the route. */
  readonly body: Record<string, unknown>;
}

/** The 13 write routes of the contract, each with a well-formed body. */
function writeRoutes(uscc: string, claimId: string): WriteRoute[] {
  return [
    { actor: 'admin', path: '/applicants', body: { uscc, name: 'Hostile Co', district: 'xihu' } },
    {
      actor: 'admin',
      path: `/applicants/${uscc}/relocations`,
      body: { district: 'xiaoshan', effectiveDate: '2024-07-01' },
    },
    { actor: 'admin', path: `/applicants/${uscc}/integrity-flags`, body: { reason: 'tip-off' } },
    {
      actor: 'admin',
      path: `/applicants/${uscc}/integrity-flag-clearances`,
      body: { reason: 'checked' },
    },
    { actor: 'applicant', path: '/claims', body: claimBody(uscc, 'c3-trademark') },
    {
      actor: 'reviewer',
      path: `/claims/${claimId}/decisions`,
      body: { outcome: 'approve', amount: '1000.00', reasons: [] },
    },
    {
      actor: 'reviewer2',
      path: `/claims/${claimId}/countersignatures`,
      body: { outcome: 'confirm', reasons: [] },
    },
    {
      actor: 'finance',
      path: `/claims/${claimId}/disbursements`,
      body: { funder: 'city', amount: '1.00', paymentRef: 'PAY-H-1', paidAt: '2024-08-01' },
    },
    {
      actor: 'finance',
      path: `/claims/${claimId}/recoveries`,
      body: { funder: 'city', amount: '1.00', recoveryRef: 'REC-H-1', recoveredAt: '2024-08-01' },
    },
    { actor: 'reviewer', path: `/claims/${claimId}/revocations`, body: { reasons: ['fraud'] } },
    {
      actor: 'applicant',
      path: `/claims/${claimId}/withdrawal`,
      body: { reason: 'no longer needed' },
    },
    {
      actor: 'finance',
      path: '/allocation-plans',
      body: {
        planId: 'park-h',
        pool: '1000.00',
        scores: [{ district: 'xihu', score: '1' }],
        decidedAt: '2024-06-01',
      },
    },
    {
      actor: 'finance',
      path: '/allocation-plans/park-h/disbursements',
      body: { district: 'xihu', amount: '1.00', paymentRef: 'PAY-H-2', paidAt: '2024-08-01' },
    },
  ];
}

describe('HTTP edge against hostile bodies (issue 11)', () => {
  let test: TestServer;
  let actors: Actors;
  let uscc: string;
  let applicant: Client;
  let routes: WriteRoute[];
  let eventsBefore: number;

  /** POSTs raw bytes as `actor` (or anonymously), with a fresh Idempotency-Key. */
  async function postRaw(
    path: string,
    body: Buffer | string,
    headers: Record<string, string>,
    token?: string,
  ) {
    const allHeaders: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': `k-${Math.random()}`,
      ...headers,
    };
    if (token) allHeaders['authorization'] = `Bearer ${token}`;
    const response = await fetch(`${test.api}${path}`, {
      method: 'POST',
      headers: allHeaders,
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // asserted below: every refusal must be JSON
    }
    return {
      status: response.status,
      body: parsed as { error: { code: string; message: string; details?: unknown } },
    };
  }

  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
    ({ uscc, client: applicant } = await registered(actors));
    const submitted = await applicant.post('/claims', claimBody(uscc, 'c3-trademark'));
    expect(submitted.status).toBe(201);
    routes = writeRoutes(uscc, submitted.body.claimId);
    expect(routes).toHaveLength(13);
    eventsBefore = await test.eventCount();
  });
  afterAll(() => test.stop());
  afterEach(async () => {
    expect(await test.eventCount()).toBe(eventsBefore);
  });

  const tokenOf = async (actor: Actor): Promise<string> =>
    actor === 'applicant'
      ? test.token(`user-${uscc}`, ['applicant'], uscc)
      : test.token(`${actor}-h`, [actor === 'reviewer2' ? 'reviewer' : actor]);

  describe('Content-Encoding (item 2)', () => {
    it('answers 400 REQUEST.BAD_CONTENT_ENCODING to a gzip or br body that does not decode, on every write route, signed in or not', async () => {
      for (const route of routes) {
        for (const encoding of ['gzip', 'br', 'deflate']) {
          for (const token of [await tokenOf(route.actor), undefined]) {
            const reply = await postRaw(
              route.path,
              'garbage',
              { 'content-encoding': encoding },
              token,
            );
            expect({
              route: route.path,
              encoding,
              status: reply.status,
              code: reply.body.error?.code,
            }).toEqual({
              route: route.path,
              encoding,
              status: 400,
              code: 'REQUEST.BAD_CONTENT_ENCODING',
            });
          }
        }
      }
    });

    it('answers 415 to an encoding it does not accept, and still reads a well-formed gzip or br body', async () => {
      const route = routes[2] as WriteRoute; // raise an integrity flag: the body is the reason
      const token = await tokenOf(route.actor);
      const refused = await postRaw(
        route.path,
        'garbage',
        { 'content-encoding': 'x-unknown' },
        token,
      );
      expect(refused).toEqual({
        status: 415,
        body: { error: { code: 'REQUEST.UNSUPPORTED_ENCODING', message: expect.any(String) } },
      });
      // A truncated gzip stream fails the same way as garbage.
      const truncated = gzipSync(JSON.stringify(route.body)).subarray(0, 12);
      expect(
        (await postRaw(route.path, truncated, { 'content-encoding': 'gzip' }, token)).body.error
          .code,
      ).toBe('REQUEST.BAD_CONTENT_ENCODING');
      // Well-formed compressed bodies reach validation: an unknown field proves the JSON was read.
      for (const [encoding, bytes] of [
        ['gzip', gzipSync(JSON.stringify({ ...route.body, extra: 1 }))],
        ['br', brotliCompressSync(JSON.stringify({ ...route.body, extra: 1 }))],
      ] as const) {
        const reply = await postRaw(route.path, bytes, { 'content-encoding': encoding }, token);
        expect(reply.status).toBe(400);
        expect(reply.body.error.details).toEqual([
          expect.objectContaining({ path: 'extra', code: 'FIELD.UNKNOWN' }),
        ]);
      }
    });
  });

  describe('nesting depth (item 3)', () => {
    const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

    it('refuses ~3,500 levels of objects and 3,000 of arrays with 400 REQUEST.TOO_DEEP on every write route', async () => {
      for (const route of routes) {
        const token = await tokenOf(route.actor);
        const bodies = [
          JSON.stringify({ ...route.body, evidence: undefined }).replace(
            /}$/,
            `,"nested":${deepObject(3500)}}`,
          ),
          JSON.stringify(route.body).replace(/}$/, `,"nested":${deepArray(3000)}}`),
          deepArray(3000),
        ];
        for (const raw of bodies) {
          const reply = await postRaw(route.path, raw, {}, token);
          expect({ route: route.path, status: reply.status, code: reply.body.error?.code }).toEqual(
            { route: route.path, status: 400, code: 'REQUEST.TOO_DEEP' },
          );
          expect(reply.body.error.details).toEqual({ maxDepth: 32, path: expect.any(String) });
        }
      }
    });

    it('lets a body of exactly 32 levels through to validation, and refuses 33', async () => {
      const route = routes[4] as WriteRoute; // submit a claim: evidence is free-form
      const token = await tokenOf(route.actor);
      const withEvidence = (levels: number) =>
        JSON.stringify(route.body).replace(
          /"evidence":\{.*\}}$/,
          `"evidence":${deepObject(levels)}}`,
        );
      // The body is level 1 and evidence level 2, so 31 nested objects in evidence make 32 levels.
      const at32 = await postRaw(route.path, withEvidence(31), {}, token);
      expect(at32.status).toBe(400);
      expect(at32.body.error.code).toMatch(/^EVIDENCE\./);
      const at33 = await postRaw(route.path, withEvidence(32), {}, token);
      expect(at33.body.error).toEqual({
        code: 'REQUEST.TOO_DEEP',
        message: expect.any(String),
        details: { maxDepth: 32, path: expect.stringMatching(/^evidence(\.a)+$/) },
      });
    });
  });

  describe('prototype keys (item 6)', () => {
    const keys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];
    /** Adds `"key": value` as the first member of the object; JSON.stringify cannot write an own __proto__. */
    const withKey = (body: Record<string, unknown>, key: string, value: unknown) =>
      `{${JSON.stringify(key)}:${JSON.stringify(value)},${JSON.stringify(body).slice(1)}`;

    it('refuses each as an unknown field (400 FIELD.UNKNOWN) at the top level of every write route', async () => {
      for (const route of routes) {
        const token = await tokenOf(route.actor);
        for (const key of keys) {
          for (const value of [{ polluted: true }, 'x', 1]) {
            const reply = await postRaw(route.path, withKey(route.body, key, value), {}, token);
            expect({
              route: route.path,
              key,
              status: reply.status,
              code: reply.body.error?.code,
            }).toEqual({ route: route.path, key, status: 400, code: 'REQUEST.INVALID' });
            expect(reply.body.error.details).toEqual([
              {
                path: key,
                code: 'FIELD.UNKNOWN',
                message: `${key} is not a field of this request`,
              },
            ]);
          }
          // Refused where the body is parsed: before authentication, like any other malformed body.
          const anonymous = await postRaw(
            route.path,
            withKey(route.body, key, { polluted: true }),
            {},
          );
          expect({
            route: route.path,
            key,
            status: anonymous.status,
            details: anonymous.body.error?.details,
          }).toEqual({
            route: route.path,
            key,
            status: 400,
            details: [expect.objectContaining({ path: key, code: 'FIELD.UNKNOWN' })],
          });
        }
      }
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('refuses them nested: scores[0].__proto__, evidence.items[1].constructor, evidence.constructor.prototype', async () => {
      const plan = routes[11] as WriteRoute;
      const claim = routes[4] as WriteRoute;
      const cases: Array<[WriteRoute, string, string]> = [
        [
          plan,
          `{"planId":"park-h","pool":"1000.00","scores":[{"__proto__":{"x":1},"district":"xihu","score":"1"}],"decidedAt":"2024-06-01"}`,
          'scores[0].__proto__',
        ],
        [
          plan,
          `{"planId":"park-h","pool":"1000.00","scores":[{"district":"xihu","score":"1","toString":"x"}],"decidedAt":"2024-06-01"}`,
          'scores[0].toString',
        ],
        [
          claim,
          JSON.stringify(claim.body).replace(
            '"reference":"TM-2"',
            '"reference":"TM-2","constructor":{"prototype":{"x":1}}',
          ),
          'evidence.items[1].constructor',
        ],
        [
          claim,
          JSON.stringify(claim.body).replace(
            '"evidence":{',
            '"evidence":{"constructor":{"prototype":{"x":1}},',
          ),
          'evidence.constructor',
        ],
      ];
      for (const [route, raw, path] of cases) {
        const reply = await postRaw(route.path, raw, {}, await tokenOf(route.actor));
        expect({ path, status: reply.status }).toEqual({ path, status: 400 });
        expect(reply.body.error.details).toEqual([
          expect.objectContaining({ path, code: 'FIELD.UNKNOWN' }),
        ]);
      }
    });
  });
});

/** Sends `target` as the raw request target (e.g. the absolute form `http://host/api/v1/claims`), which fetch cannot. */
function rawRequest(
  base: string,
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: hostname, port, method, path: target, headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('one spelling per route (item 1)', () => {
  let test: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it('answers 404 ROUTE.NOT_FOUND in the contract shape to other cases and a trailing slash, and records nothing', async () => {
    const { uscc } = await registered(actors);
    const applicant = await actors.applicant(uscc);
    const before = await test.eventCount();
    const origin = new URL(test.api).origin;
    const token = await test.token(`user-${uscc}`, ['applicant'], uscc);
    for (const path of [
      '/API/v1/claims',
      '/Api/V1/Claims',
      '/api/V1/claims',
      '/api/v1/CLAIMS',
      '/api/v1/claims/',
    ]) {
      const reply = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `k-${path}`,
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(claimBody(uscc, 'c3-trademark')),
      });
      expect({ path, status: reply.status, body: await reply.json() }).toEqual({
        path,
        status: 404,
        body: { error: { code: 'ROUTE.NOT_FOUND', message: expect.any(String) } },
      });
    }
    for (const path of [
      '/API/v1/policies',
      '/api/v1/Policies',
      '/api/v1/policies/',
      '/API/v1/health/live',
    ]) {
      const reply = await fetch(`${origin}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect({
        path,
        status: reply.status,
        code: ((await reply.json()) as { error: { code: string } }).error.code,
      }).toEqual({ path, status: 404, code: 'ROUTE.NOT_FOUND' });
    }
    expect(await test.eventCount()).toBe(before);
    // The one spelling works.
    expect((await applicant.post('/claims', claimBody(uscc, 'c3-trademark'))).status).toBe(201);
  });
});

describe('the rate limit counts every request that reaches a handler (item 1)', () => {
  const LIMIT = 4;
  let test: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    process.env['LEDGER_RATE_LIMIT_PER_MINUTE'] = String(LIMIT);
    try {
      test = await startTestServer();
    } finally {
      delete process.env['LEDGER_RATE_LIMIT_PER_MINUTE'];
    }
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it(`lets no more than ${LIMIT} submissions a minute reach a handler, whatever the spelling of the path`, async () => {
    const { uscc } = await registered(actors); // the admin's bucket, not the applicant's
    const token = await test.token(`user-${uscc}`, ['applicant'], uscc);
    const origin = new URL(test.api).origin;
    const body = JSON.stringify(claimBody(uscc, 'c3-trademark'));
    const headers = (attempt: number) => ({
      'content-type': 'application/json',
      'idempotency-key': `spell-${attempt}`,
      authorization: `Bearer ${token}`,
    });
    const targets = [
      ...Array<string>(6).fill(`${origin}/api/v1/claims`), // absolute-form request target: routed like /api/v1/claims
      ...['/API/v1/claims', '/Api/V1/Claims', '/api/v1/CLAIMS', '/api/v1/claims/'],
      ...Array<string>(6).fill('/api/v1/claims'),
    ];
    const replies: Array<{ target: string; status: number; code?: string }> = [];
    for (const [attempt, target] of targets.entries()) {
      const reply = await rawRequest(origin, 'POST', target, headers(attempt), body);
      const parsed = JSON.parse(reply.body) as { error?: { code: string } };
      replies.push({
        target,
        status: reply.status,
        ...(parsed.error ? { code: parsed.error.code } : {}),
      });
    }
    // Reached a handler: created, or refused by the ledger's rules (a second claim for a one-time program is 422).
    const handled = replies.filter((reply) => reply.status === 201 || reply.status === 422);
    expect(handled.length).toBeLessThanOrEqual(LIMIT);
    expect(handled.length).toBeGreaterThan(0);
    expect(replies.filter((reply) => reply.status === 429).length).toBeGreaterThanOrEqual(
      targets.length - LIMIT - 4,
    );
    for (const reply of replies) {
      expect([201, 404, 422, 429]).toContain(reply.status);
      if (reply.status === 404) expect(reply.code).toBe('ROUTE.NOT_FOUND');
      if (reply.status === 429) expect(reply.code).toBe('RATE_LIMIT.EXCEEDED');
    }
    // Never handled through another case or a trailing slash.
    expect(
      replies
        .filter((reply) => /\/(API|Api)\/|CLAIMS|claims\/$/.test(reply.target))
        .every((reply) => reply.status === 404 || reply.status === 429),
    ).toBe(true);
    const created = replies.filter((reply) => reply.status === 201);
    await test.settled();
    // This applicant's only: on PostgreSQL every describe of this file shares one database.
    const submitted = (await test.allEvents()).filter(
      (event) => event.type === 'ClaimSubmitted' && event.data['applicant'] === uscc,
    );
    expect(submitted.length).toBe(created.length);
  });
});

describe('hostile text (item 8)', () => {
  let test: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  /** Control, line-break, bidi-override, zero-width characters and lone surrogates (JSON.stringify writes these as \u escapes). */
  const SINGLE_LINE_FORBIDDEN = [
    '\u0000',
    '\r',
    '\n',
    '\t',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u202a',
    '\u202e',
    '\u2066',
    '\u2069',
    '\u200b',
    '\u200d',
    '\ufeff',
    '\ud800',
    '\udc00',
  ];
  const codePointOf = (character: string) =>
    `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const expectForbidden = (
    reply: { status: number; body: { error: { code: string; details: unknown } } },
    path: string,
    character: string,
  ) => {
    expect({
      status: reply.status,
      code: reply.body.error?.code,
      character: codePointOf(character),
    }).toEqual({ status: 400, code: 'REQUEST.INVALID', character: codePointOf(character) });
    expect(reply.body.error.details).toEqual([
      {
        path,
        code: 'FIELD.FORBIDDEN_CHARACTER',
        message: expect.stringContaining(codePointOf(character)),
      },
    ]);
  };

  it('refuses them in names, references and plan ids with 400 FIELD.FORBIDDEN_CHARACTER naming the field, and records nothing', async () => {
    const { uscc } = await registered(actors);
    const applicant = await actors.applicant(uscc);
    const claimId = (await applicant.post('/claims', claimBody(uscc, 'c1-platform'))).body
      .claimId as string;
    const before = await test.eventCount();
    for (const character of SINGLE_LINE_FORBIDDEN) {
      expectForbidden(
        await actors.admin.post('/applicants', {
          uscc: newUscc(),
          name: `Evil${character}Co`,
          district: 'xihu',
        }),
        'name',
        character,
      );
      const paid = {
        funder: 'city',
        amount: '1.00',
        paymentRef: `PAY-${character}1`,
        paidAt: '2024-08-01',
      };
      expectForbidden(
        await actors.finance.post(`/claims/${claimId}/disbursements`, paid),
        'paymentRef',
        character,
      );
      const recovered = {
        funder: 'city',
        amount: '1.00',
        recoveryRef: `REC${character}`,
        recoveredAt: '2024-08-01',
      };
      expectForbidden(
        await actors.finance.post(`/claims/${claimId}/recoveries`, recovered),
        'recoveryRef',
        character,
      );
      const plan = {
        planId: `plan${character}`,
        pool: '100.00',
        scores: [{ district: 'xihu', score: '1' }],
        decidedAt: '2024-06-01',
      };
      expectForbidden(await actors.finance.post('/allocation-plans', plan), 'planId', character);
      const scores = {
        ...plan,
        planId: 'plan-ok',
        scores: [{ district: `xihu${character}`, score: '1' }],
      };
      expectForbidden(
        await actors.finance.post('/allocation-plans', scores),
        'scores[0].district',
        character,
      );
    }
    expect(await test.eventCount()).toBe(before);
  });

  it('keeps line breaks, tabs and bidi text in free text, and refuses NUL, other controls and lone surrogates there', async () => {
    const { uscc } = await registered(actors);
    const applicant = await actors.applicant(uscc);
    // Arabic with a right-to-left mark, two lines, a tab: a real reason, stored as given.
    const reason = 'line one\r\nline two\tمرحبا\u200f 😀';
    const flagged = await actors.admin.post(`/applicants/${uscc}/integrity-flags`, { reason });
    expect(flagged.status).toBe(200);
    expect(
      (
        await actors.admin.post(`/applicants/${uscc}/integrity-flag-clearances`, {
          reason: 'checked',
        })
      ).status,
    ).toBe(200);
    const evidence = { platformName: 'HZ\u202eMall\nsecond line' };
    const submitted = await applicant.post(
      '/claims',
      claimBody(uscc, 'c1-platform', 2024, '1000.00', evidence),
    );
    expect(submitted.status).toBe(201);
    expect(submitted.body.claim.evidence).toEqual(evidence);
    const claimId = submitted.body.claimId as string;
    const before = await test.eventCount();
    for (const character of [
      '\u0000',
      '\u0001',
      '\u001b',
      '\u007f',
      '\u0085',
      '\ud800',
      '\udfff',
    ]) {
      expectForbidden(
        await actors.admin.post(`/applicants/${uscc}/integrity-flags`, {
          reason: `bad${character}`,
        }),
        'reason',
        character,
      );
      expectForbidden(
        await actors.reviewer.post(`/claims/${claimId}/decisions`, {
          outcome: 'reject',
          reasons: ['fine', `bad ${character}`],
        }),
        'reasons[1]',
        character,
      );
      expectForbidden(
        await applicant.post(`/claims/${claimId}/withdrawal`, { reason: `${character}` }),
        'reason',
        character,
      );
      expectForbidden(
        await applicant.post(
          '/claims',
          claimBody(uscc, 'c1-platform', 2024, '1.00', { platformName: `HZ${character}` }),
        ),
        'evidence.platformName',
        character,
      );
    }
    // A surrogate pair is text (an emoji); only its halves alone are refused.
    expect(
      (await applicant.post(`/claims/${claimId}/withdrawal`, { reason: 'no longer needed 😀' }))
        .status,
    ).toBe(200);
    expect(await test.eventCount()).toBe(before + 1);
  });

  it('writes a refusal whose logged fields hold CR/LF and JSON as one escaped JSON line', async () => {
    const lines: string[] = [];
    test.server.app.get(AuditLogger).useSink((line) => lines.push(line));
    const { uscc } = await registered(actors);
    const forged = '\r\n{"level":"info","event":"forged"}\n';
    const object = `${uscc}-1${forged}`;
    // The claim id path parameter is logged as the refusal's object, decoded: CR, LF and quotes reach the logger.
    const reply = await actors.reviewer.post(`/claims/${encodeURIComponent(object)}/decisions`, {
      outcome: 'reject',
      reasons: ['no'],
    });
    expect(reply.body.error.details).toEqual([
      expect.objectContaining({ path: 'id', code: 'CLAIM_ID.INVALID' }),
    ]);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    const refusals = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry['object'] === object);
    expect(refusals).toEqual([
      expect.objectContaining({ object, status: 400, code: 'REQUEST.INVALID' }),
    ]);
    expect(lines.filter((line) => line.includes('forged'))).toHaveLength(1);
  });
});

describe('data directory permissions (item 9)', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hz-modes-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
  const filesOf = (dir: string) =>
    readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());

  /** Starts the real server on `dir`, collecting what it writes to standard error. */
  async function startOn(dir: string): Promise<{ test: TestServer; stderr: string[] }> {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const spy = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        stderr.push(String(chunk));
        return (write as (chunk: string | Uint8Array, ...args: unknown[]) => boolean)(
          chunk,
          ...rest,
        );
      });
    const previous = process.env['LEDGER_DATA_DIR'];
    process.env['LEDGER_DATA_DIR'] = dir;
    try {
      return { test: await startTestServer(), stderr };
    } finally {
      if (previous === undefined) delete process.env['LEDGER_DATA_DIR'];
      else process.env['LEDGER_DATA_DIR'] = previous;
      spy.mockRestore();
    }
  }

  it('creates the data dir 0700 and every file in it 0600 (the databases, their -wal/-shm, jwt-secret)', async () => {
    const dir = join(root, 'fresh');
    const { test } = await startOn(dir);
    try {
      const actors = await actorsOf(test);
      await registered(actors); // a write: the WAL files exist now
      expect(modeOf(dir)).toBe('700');
      const files = filesOf(dir);
      expect(files).toContain('jwt-secret');
      for (const name of files)
        expect({ name, mode: modeOf(join(dir, name)) }).toEqual({ name, mode: '600' });
    } finally {
      await test.stop();
    }
  });

  it('tightens a data dir left 0755 with 0644 files at the next start, and logs one line naming the changes', async () => {
    const dir = join(root, 'widened');
    mkdirSync(dir);
    const first = await startOn(dir);
    await registered(await actorsOf(first.test));
    await first.test.stop();
    const files = filesOf(dir);
    chmodSync(dir, 0o755);
    for (const name of files) chmodSync(join(dir, name), 0o644);

    const { test, stderr } = await startOn(dir);
    try {
      expect(modeOf(dir)).toBe('700');
      for (const name of filesOf(dir))
        expect({ name, mode: modeOf(join(dir, name)) }).toEqual({ name, mode: '600' });
      const lines = stderr
        .join('')
        .split('\n')
        .filter((line) => line.includes('permissions tightened'));
      expect(lines).toHaveLength(1);
      // A JSON line like every other line the service writes (issue 15: no plain-text line).
      const { msg } = JSON.parse(lines[0] as string) as { msg: string };
      expect(msg).toContain(`${dir} 0755 -> 0700`);
      for (const name of files) expect(msg).toContain(`${name} 0644 -> 0600`);
    } finally {
      await test.stop();
    }
  });
});

describe('response headers (item 7)', () => {
  let test: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  const expectSecurityHeaders = (headers: Headers, where: string) => {
    const csp = headers.get('content-security-policy') ?? '';
    expect({ where, csp }).toEqual({ where, csp: expect.stringContaining("default-src 'self'") });
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("object-src 'none'");
    expect({
      where,
      nosniff: headers.get('x-content-type-options'),
      frame: headers.get('x-frame-options'),
      referrer: headers.get('referrer-policy'),
    }).toEqual({
      where,
      nosniff: 'nosniff',
      frame: 'DENY',
      referrer: 'no-referrer',
    });
    expect(headers.get('permissions-policy')).toMatch(
      /camera=\(\).*geolocation=\(\).*microphone=\(\)/,
    );
    expect(headers.get('x-powered-by')).toBeNull();
  };

  it('sends CSP, nosniff, frame, referrer and permissions policies, and no-store, on API answers with claim data and on refusals', async () => {
    const { uscc, client } = await registered(actors);
    const submitted = await client.post('/claims', claimBody(uscc, 'c1-platform'));
    expect(submitted.status).toBe(201);
    const answers = {
      submitted,
      claim: await actors.reviewer.get(`/claims/${submitted.body.claimId}`),
      history: await actors.auditor.get(`/claims/${submitted.body.claimId}/history`),
      applicant: await actors.admin.get(`/applicants/${uscc}`),
      refused: await actors.anonymous.get(`/claims/${submitted.body.claimId}`),
      notFound: await actors.anonymous.get('/no-such-route'),
      invalid: await client.post('/claims', { approved: true }),
    };
    for (const [where, reply] of Object.entries(answers)) {
      expectSecurityHeaders(reply.headers, where);
      expect({ where, cache: reply.headers.get('cache-control') }).toEqual({
        where,
        cache: 'no-store',
      });
    }
    expect(answers.claim.status).toBe(200);
    expect(answers.refused.status).toBe(401);
  });

  it('sends the policies with the OpenAPI page, whose CSP allows its inline styles but no inline script', async () => {
    const origin = new URL(test.api).origin;
    for (const path of ['/api/docs', '/api/docs/openapi.json', '/api/docs/swagger-ui-init.js']) {
      const reply = await fetch(`${origin}${path}`);
      expect({ path, status: reply.status }).toEqual({ path, status: 200 });
      expectSecurityHeaders(reply.headers, path);
    }
    const page = await fetch(`${origin}/api/docs`);
    expect(page.headers.get('content-security-policy')).toMatch(/style-src 'self' 'unsafe-inline'/);
  });
});
