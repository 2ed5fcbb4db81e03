/**
 * The hostile-client battery (issue 11), shared by battery.sqlite.hostile.spec.ts and
 * battery.postgres.hostile.spec.ts: one real server per spec file, every route of the OpenAPI document it
 * serves, attacked family by family. Each family is an `it` that lists every problem it saw (see
 * support/battery.ts for the checks every request gets). HOSTILE_SEED replays a run.
 */
import { randomUUID } from 'node:crypto';
import {
  brotliCompressSync,
  brotliDecompressSync,
  deflateSync,
  gunzipSync,
  gzipSync,
  inflateSync,
} from 'node:zlib';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Role } from '@hz/auth';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { claimBody, evidenceFor, newUscc, registered } from '../e2e/support/fixtures';
import { Battery, type HostileRequest } from './support/battery';
import { startHostileServer, type HostileServer } from './support/hostile-server';
import { loadApiDocument, type ApiDocument, type Route } from './support/routes';
import {
  CONTROL_AND_BIDI,
  caseVariant,
  hostileId,
  hostileIdempotencyKey,
  hostileJsonValue,
  hostileMinPosition,
  hostileQueryValue,
  queryName,
  type RawValue,
} from './support/arbitraries';

export const DEFAULT_SEED = 20230009;
const MINIMUM_REQUESTS = 3000;
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
] as const;

interface Objects {
  readonly uscc: string;
  readonly claimId: string;
}

export function hostileSeed(): number {
  const text = process.env['HOSTILE_SEED'];
  if (text === undefined || text === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`HOSTILE_SEED must be an integer, got ${text}`);
  return seed;
}

export function defineBattery(storeName: 'sqlite' | 'postgres'): void {
  describe(`hostile clients on ${storeName}`, () => {
    const seed = hostileSeed();
    let server: HostileServer;
    let battery: Battery;
    let api: ApiDocument;
    let own: Objects;
    let foreign: Objects;
    const tokens: Partial<Record<string, string>> = {};
    let sequence = 0;
    const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number): T[] => {
      sequence += 1;
      return fc.sample(arbitrary, { seed: seed + sequence, numRuns });
    };
    const unique = (prefix: string) =>
      `${prefix}-${seed}-${(sequence += 1)}-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      console.log(
        `hostile battery on ${storeName}: HOSTILE_SEED=${seed} (set HOSTILE_SEED to replay)`,
      );
      server = await startHostileServer();
      expect(server.store).toBe(storeName);
      battery = new Battery(server);
      api = await loadApiDocument(server.origin);
      const a = await registered(server.actors);
      const b = await registered(server.actors);
      const claimA = await a.client.post('/claims', claimBody(a.uscc, 'c3-trademark'));
      const claimB = await b.client.post('/claims', claimBody(b.uscc, 'c3-trademark'));
      if (claimA.status !== 201 || claimB.status !== 201)
        throw new Error(`setup claims: ${claimA.status} ${claimB.status}`);
      own = { uscc: a.uscc, claimId: claimA.body.claimId };
      foreign = { uscc: b.uscc, claimId: claimB.body.claimId };
      const roles: Record<string, { roles: Role[]; applicant?: string }> = {
        applicant: { roles: ['applicant'], applicant: own.uscc },
        reviewer: { roles: ['reviewer'] },
        finance: { roles: ['finance'] },
        auditor: { roles: ['auditor'] },
        admin: { roles: ['admin'] },
        adjuster: { roles: ['adjuster'] },
        'applicant+reviewer': { roles: ['applicant', 'reviewer'], applicant: own.uscc },
        'applicant+finance': { roles: ['applicant', 'finance'], applicant: own.uscc },
      };
      for (const [name, spec] of Object.entries(roles))
        tokens[name] = await server.token(`hostile-${name}`, spec.roles, spec.applicant);
      await server.newEvents();
    });

    // Events a failed `it` left unread must not be blamed on the next family's first request.
    beforeEach(async () => {
      if (server) await server.newEvents();
    });

    afterAll(async () => {
      if (battery)
        console.log(
          `hostile battery on ${storeName}: ${battery.requestCount} requests, HOSTILE_SEED=${seed}`,
        );
      await server?.test.stop();
    });

    const pathOf = (route: Route, objects: Objects, override?: string): string =>
      route.template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
        if (override !== undefined) return override;
        if (name === 'uscc') return objects.uscc;
        if (route.template.startsWith('/api/v1/allocation-plans')) return 'park-hostile';
        if (route.template.startsWith('/api/v1/policies')) return 'hz-cbec-2023';
        return objects.claimId;
      });

    /** A valid body for the route (the baseline every mutation starts from). */
    const baselineOf = (route: Route): unknown =>
      api.baseline(route, (field) => {
        switch (field) {
          case 'uscc':
            return newUscc();
          case 'applicant':
            return own.uscc;
          case 'programCode':
            return 'c3-trademark';
          case 'supportYear':
            return 2024;
          case 'requestedAmount':
            return '1000.00';
          case 'evidence':
            return evidenceFor('c3-trademark');
          case 'name':
            return 'Hostile Trading Co.';
          case 'reason':
            return 'hostile check';
          case 'reasons':
            return ['hostile check'];
          case 'paymentRef':
          case 'recoveryRef':
            return unique('REF');
          case 'planId':
            return unique('plan');
          case 'district':
            return 'xihu';
          case 'amount':
            return '1.00';
          case 'pool':
            return '1000.00';
          case 'scores':
            return [{ district: 'xihu', score: '1' }];
          case 'paidAt':
          case 'recoveredAt':
          case 'decidedAt':
          case 'effectiveDate':
            return '2024-03-01';
          default:
            return undefined;
        }
      });

    const request = (
      family: string,
      label: string,
      route: Route,
      options: {
        token?: string | null;
        authorization?: string;
        path?: string;
        body?: Buffer;
        headers?: Array<[string, string | Buffer]>;
        expectStatus?: number[];
        expectRefused?: boolean;
        futurePosition?: boolean;
        concurrent?: boolean;
      } = {},
    ): HostileRequest => {
      const headers: Array<[string, string | Buffer]> = [['Accept', 'application/json']];
      const authorization =
        options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
      if (authorization !== undefined) headers.push(['Authorization', authorization]);
      const extra = options.headers ?? [];
      if (route.method === 'POST') {
        if (!extra.some(([name]) => name.toLowerCase() === 'content-type'))
          headers.push(['Content-Type', 'application/json']);
        if (!extra.some(([name]) => name.toLowerCase() === 'idempotency-key'))
          headers.push(['Idempotency-Key', unique('hostile')]);
      }
      headers.push(...extra);
      const body =
        options.body ??
        (route.method === 'POST'
          ? Buffer.from(JSON.stringify(baselineOf(route) ?? {}))
          : undefined);
      return {
        family,
        label,
        method: route.method,
        path: options.path ?? pathOf(route, own),
        headers,
        body,
        expectStatus: options.expectStatus,
        expectRefused: options.expectRefused,
        futurePosition: options.futurePosition,
        concurrent: options.concurrent,
      };
    };

    /** The query a read route needs before its headers matter. */
    const validQuery = (route: Route): string => {
      if (route.template === '/api/v1/applicants') return '?name=Company';
      if (
        route.queryParams.some((parameter) => parameter.name === 'applicant') &&
        route.template.startsWith('/api/v1/projections')
      )
        return `?applicant=${own.uscc}`;
      return '';
    };

    const expectNoProblems = (...families: string[]) =>
      expect(battery.report(...families)).toEqual([]);
    const securedRoutes = () => api.routes.filter((route) => route.secured);
    const postRoutes = () =>
      api.routes.filter((route) => route.method === 'POST' && route.bodySchema !== undefined);
    const getRoutes = () => api.routes.filter((route) => route.method === 'GET');

    it('reads every route from the OpenAPI document the server serves', () => {
      expect(api.routes.length).toBeGreaterThanOrEqual(25);
      expect(api.routes.map((route) => `${route.method} ${route.template}`)).toEqual(
        expect.arrayContaining([
          'POST /api/v1/claims',
          'POST /api/v1/claims/{id}/decisions',
          'GET /api/v1/projections/caps',
        ]),
      );
    });

    it('refuses every bad token on every route with 401', async () => {
      const bad = await server.badTokens();
      for (const route of securedRoutes()) {
        for (const token of bad) {
          await battery.send(
            request('tokens', `token ${token.kind}`, route, {
              authorization: token.header,
              expectStatus: [401],
            }),
          );
        }
      }
      expectNoProblems('tokens');
    });

    it('answers every role on every route, own and foreign objects, within the contract', async () => {
      for (const route of api.routes) {
        for (const [role, token] of Object.entries(tokens)) {
          for (const [whose, objects] of [
            ['own', own],
            ['foreign', foreign],
          ] as const) {
            if (whose === 'foreign' && route.pathParams.length === 0) continue;
            // An applicant never reaches another applicant's claim or profile (docs/architecture.md §6); a token that
            // also holds a staff role reads as staff, but never decides or pays for its own applicant (below).
            const isApplicant = role === 'applicant';
            const expectStatus =
              whose === 'foreign' &&
              isApplicant &&
              route.pathParams.some((name) => name === 'uscc' || name === 'id') &&
              !route.template.startsWith('/api/v1/policies') &&
              !route.template.startsWith('/api/v1/allocation-plans')
                ? [403, 404]
                : undefined;
            await battery.send(
              request('roles', `${role} on ${whose} objects`, route, {
                token,
                path: pathOf(route, objects),
                expectStatus,
              }),
            );
          }
        }
        // A foreign applicant's USCC or claim id in the query or body is refused too.
        if (route.queryParams.some((parameter) => parameter.name === 'applicant')) {
          await battery.send(
            request('roles', 'applicant querying a foreign USCC', route, {
              token: tokens['applicant'],
              path: `${pathOf(route, own)}?applicant=${foreign.uscc}`,
              expectStatus: [403],
            }),
          );
        }
      }
      const submit = api.routes.find(
        (route) => route.method === 'POST' && route.template === '/api/v1/claims',
      );
      if (submit) {
        for (const role of ['applicant', 'applicant+reviewer', 'applicant+finance']) {
          await battery.send(
            request('roles', `${role} filing for a foreign USCC`, submit, {
              token: tokens[role],
              body: Buffer.from(JSON.stringify(claimBody(foreign.uscc, 'c3-trademark'))),
              expectStatus: [403],
            }),
          );
        }
      }
      // A token with the applicant role and a staff role acts for the applicant: it may not decide or pay its own claim.
      const decide = api.routes.find(
        (route) => route.template === '/api/v1/claims/{id}/decisions',
      ) as Route;
      const disburse = api.routes.find(
        (route) => route.template === '/api/v1/claims/{id}/disbursements',
      ) as Route;
      const countersign = api.routes.find(
        (route) => route.template === '/api/v1/claims/{id}/countersignatures',
      ) as Route;
      const mine = await registered(server.actors);
      const claims: string[] = [];
      for (const code of ['c3-trademark', 'c1-platform']) {
        const filed = await mine.client.post('/claims', claimBody(mine.uscc, code));
        if (filed.status !== 201)
          throw new Error(`setup claim ${code}: ${filed.status} ${JSON.stringify(filed.body)}`);
        claims.push(filed.body.claimId);
      }
      await server.newEvents();
      const [small = '', large = ''] = claims;
      const dual = async (staff: Role) =>
        server.token(`dual-${staff}-${mine.uscc}`, ['applicant', staff], mine.uscc);
      const approve = (amount: string) =>
        Buffer.from(JSON.stringify({ outcome: 'approve', amount, reasons: ['self-serving'] }));
      await battery.send(
        request('roles', 'applicant+reviewer approving its own claim', decide, {
          token: await dual('reviewer'),
          path: pathOf(decide, { uscc: mine.uscc, claimId: small }),
          body: approve('1000.00'),
          expectRefused: true,
        }),
      );
      const approved = await server.actors.reviewer.post(`/claims/${small}/decisions`, {
        outcome: 'approve',
        amount: '1000.00',
        reasons: [],
      });
      const pending = await server.actors.reviewer.post(`/claims/${large}/decisions`, {
        outcome: 'approve',
        amount: '600000.00',
        reasons: [],
      });
      // CLAIM.NOT_SUBMITTED: the self-approval above went through, a problem the battery has already recorded.
      if (
        (approved.status >= 300 && approved.body?.error?.code !== 'CLAIM.NOT_SUBMITTED') ||
        pending.body?.status !== 'pending_countersign'
      )
        throw new Error(
          `setup approvals: ${approved.status} ${pending.status} ${JSON.stringify(pending.body)}`,
        );
      await server.newEvents();
      await battery.send(
        request('roles', 'applicant+reviewer countersigning its own claim', countersign, {
          token: await dual('reviewer'),
          path: pathOf(countersign, { uscc: mine.uscc, claimId: large }),
          body: Buffer.from(JSON.stringify({ outcome: 'confirm', reasons: [] })),
          expectRefused: true,
        }),
      );
      await battery.send(
        request('roles', 'applicant+finance paying its own claim', disburse, {
          token: await dual('finance'),
          path: pathOf(disburse, { uscc: mine.uscc, claimId: small }),
          body: Buffer.from(
            JSON.stringify({
              funder: 'city',
              amount: '1.00',
              paymentRef: unique('SELF'),
              paidAt: '2024-03-01',
            }),
          ),
          expectRefused: true,
        }),
      );
      expectNoProblems('roles');
    });

    it('refuses unknown and prototype keys at every depth of every body with 400', async () => {
      for (const route of postRoutes()) {
        const baseline = baselineOf(route);
        for (const path of objectPaths(baseline)) {
          for (const key of [...PROTOTYPE_KEYS, 'zzUnknownField']) {
            for (const value of ['{"isAdmin":true}', '"x"']) {
              const body = Buffer.from(
                insertKey(JSON.stringify(baselineOf(route)), path, key, value),
              );
              await battery.send(
                request(
                  'prototype keys',
                  `${key}=${value} at ${path.join('.') || '(root)'}`,
                  route,
                  { token: tokenFor(route), body, expectStatus: [400] },
                ),
              );
            }
          }
        }
      }
      for (const route of getRoutes().filter((candidate) => candidate.queryParams.length > 0)) {
        for (const key of [
          ...PROTOTYPE_KEYS.map((name) => `${name}[isAdmin]`),
          ...PROTOTYPE_KEYS,
          'zzUnknown',
        ]) {
          await battery.send(
            request('prototype keys', `query ${key}`, route, {
              token: tokens['auditor'],
              path: `${pathOf(route, own)}?${key}=1`,
              expectStatus: [400],
            }),
          );
        }
      }
      expectNoProblems('prototype keys');
    });

    /** The token of a role the route accepts, so the request reaches validation. */
    const tokenFor = (route: Route): string | undefined => {
      const template = route.template;
      if (template === '/api/v1/claims' && route.method === 'POST') return tokens['applicant'];
      if (template.endsWith('/withdrawal')) return tokens['applicant'];
      if (template.startsWith('/api/v1/applicants')) return tokens['admin'];
      if (/disbursements|recoveries|allocation-plans/.test(template)) return tokens['finance'];
      if (template.startsWith('/api/v1/audit')) return tokens['auditor'];
      if (template.endsWith('/adjustments')) return tokens['adjuster'];
      if (template.startsWith('/api/v1/periods')) return tokens['admin'];
      return tokens['reviewer'];
    };

    it('survives fast-check generated bodies: wrong types, NaN, 1e309, -0, huge, deep, invalid UTF-8, control characters', async () => {
      const routes = postRoutes();
      const cases = sample(
        fc.record({
          route: fc.integer({ min: 0, max: routes.length - 1 }),
          mode: fc.constantFrom('replace' as const, 'add' as const, 'whole' as const),
          pick: fc.nat(),
          value: hostileJsonValue,
        }),
        1200,
      );
      for (const { route: index, mode, pick, value } of cases) {
        const route = routes[index] as Route;
        const baseline = baselineOf(route);
        const body = mutateBody(baseline, mode, pick, value);
        await battery.send(
          request('generated bodies', `${mode} #${pick}`, route, {
            token: tokenFor(route),
            body: body.bytes,
          }),
        );
      }
      expectNoProblems('generated bodies');
    });

    it('refuses control and bidi characters in names and references with 400', async () => {
      const targets: Array<[string, string]> = [
        ['POST /api/v1/applicants', 'name'],
        ['POST /api/v1/claims/{id}/disbursements', 'paymentRef'],
        ['POST /api/v1/claims/{id}/recoveries', 'recoveryRef'],
        ['POST /api/v1/allocation-plans', 'planId'],
        ['POST /api/v1/allocation-plans/{id}/disbursements', 'paymentRef'],
      ];
      for (const [name, field] of targets) {
        const route = api.routes.find(
          (candidate) => `${candidate.method} ${candidate.template}` === name,
        );
        if (!route) throw new Error(`${name} is not in the OpenAPI document`);
        for (const bad of CONTROL_AND_BIDI) {
          const body = baselineOf(route) as Record<string, unknown>;
          const text = `Trade${bad}Co`;
          body[field] = field === 'reasons' ? [text] : text;
          await battery.send(
            request(
              'control characters',
              `${field} with U+${bad.codePointAt(0)?.toString(16).padStart(4, '0')}`,
              route,
              {
                token: tokenFor(route),
                body: Buffer.from(JSON.stringify(body)),
                expectStatus: [400],
              },
            ),
          );
        }
      }
      // Free text (reasons) may hold line breaks and bidi marks, but no other control character.
      const freeText: Array<[string, string]> = [
        ['POST /api/v1/applicants/{uscc}/integrity-flags', 'reason'],
        ['POST /api/v1/claims/{id}/revocations', 'reasons'],
        ['POST /api/v1/claims/{id}/withdrawal', 'reason'],
      ];
      for (const [name, field] of freeText) {
        const route = api.routes.find(
          (candidate) => `${candidate.method} ${candidate.template}` === name,
        );
        if (!route) throw new Error(`${name} is not in the OpenAPI document`);
        for (const bad of CONTROL_AND_BIDI.filter((character) =>
          isControlNotLineBreak(character.codePointAt(0) ?? 0),
        )) {
          const body = baselineOf(route) as Record<string, unknown>;
          const text = `Reason${bad}text`;
          body[field] = field === 'reasons' ? [text] : text;
          await battery.send(
            request(
              'control characters',
              `${field} with U+${bad.codePointAt(0)?.toString(16).padStart(4, '0')}`,
              route,
              {
                token: tokenFor(route),
                body: Buffer.from(JSON.stringify(body)),
                expectStatus: [400],
              },
            ),
          );
        }
      }
      expectNoProblems('control characters');
    });

    it('survives hostile ids in paths and hostile query strings on every route', async () => {
      const withParams = api.routes.filter((route) => route.pathParams.length > 0);
      const ids = sample(
        fc.tuple(fc.integer({ min: 0, max: withParams.length - 1 }), hostileId),
        400,
      );
      for (const [index, id] of ids) {
        const route = withParams[index] as Route;
        await battery.send(
          request('ids and queries', `id ${id.slice(0, 40)}`, route, {
            token: tokenFor(route),
            path: pathOf(route, own, id),
          }),
        );
      }
      const gets = getRoutes();
      const queries = sample(
        fc.integer({ min: 0, max: gets.length - 1 }).chain((index) => {
          const route = gets[index] as Route;
          return fc.record({
            index: fc.constant(index),
            pairs: fc.array(
              fc.tuple(
                queryName(route.queryParams.map((parameter) => parameter.name)),
                hostileQueryValue,
              ),
              { minLength: 1, maxLength: 4 },
            ),
          });
        }),
        600,
      );
      for (const { index, pairs } of queries) {
        const route = gets[index] as Route;
        const query = pairs.map(([name, value]) => `${name}=${value}`).join('&');
        await battery.send(
          request('ids and queries', `query ${query.slice(0, 60)}`, route, {
            token: tokens['auditor'],
            path: `${pathOf(route, own)}?${query}`,
          }),
        );
      }
      expectNoProblems('ids and queries');
    });

    it('refuses hostile Idempotency-Key and X-Min-Position headers', async () => {
      const posts = postRoutes();
      const keys = sample(
        fc.tuple(fc.integer({ min: 0, max: posts.length - 1 }), hostileIdempotencyKey),
        150,
      );
      for (const [index, key] of keys) {
        const route = posts[index] as Route;
        await battery.send(
          request(
            'headers',
            `Idempotency-Key ${JSON.stringify(key.toString('latin1').slice(0, 30))}`,
            route,
            { token: tokenFor(route), headers: [['Idempotency-Key', key]], expectStatus: [400] },
          ),
        );
      }
      const readers = getRoutes().filter((route) => route.headerParams.includes('X-Min-Position'));
      const positions = sample(
        fc.tuple(fc.integer({ min: 0, max: readers.length - 1 }), hostileMinPosition),
        150,
      );
      for (const [index, position] of positions) {
        const route = readers[index] as Route;
        await battery.send(
          request(
            'headers',
            `X-Min-Position ${JSON.stringify(position.value.toString('latin1').slice(0, 30))}`,
            route,
            {
              token: tokens['admin'],
              path: `${pathOf(route, own)}${validQuery(route)}`,
              headers: [['X-Min-Position', position.value]],
              expectStatus: position.future ? [503] : [400],
              futurePosition: position.future,
            },
          ),
        );
      }
      expectNoProblems('headers');
    });

    it('refuses garbage under every Content-Encoding and an unknown Content-Type', async () => {
      // About 4% of random byte strings are a valid brotli stream (often of an empty body, which a route
      // without required fields may accept): garbage is drawn among bytes no decoder accepts.
      const decodes = (bytes: Uint8Array) =>
        [gunzipSync, brotliDecompressSync, inflateSync].some((decode) => {
          try {
            decode(bytes);
            return true;
          } catch {
            return false;
          }
        });
      const garbage = sample(
        fc.uint8Array({ minLength: 1, maxLength: 512 }).filter((bytes) => !decodes(bytes)),
        3,
      ).map((bytes) => Buffer.from(bytes));
      const json = (route: Route) => Buffer.from(JSON.stringify(baselineOf(route)));
      for (const route of postRoutes()) {
        const bodies: Array<[string, string, Buffer]> = [
          ...garbage.flatMap((bytes, index): Array<[string, string, Buffer]> => [
            ['gzip', `garbage ${index}`, bytes],
            ['br', `garbage ${index}`, bytes],
            ['deflate', `garbage ${index}`, bytes],
          ]),
          ['gzip', 'truncated gzip', gzipSync(json(route)).subarray(0, 12)],
          ['gzip', 'gzip of non-JSON', gzipSync(Buffer.from('not json at all'))],
          ['gzip', 'gzip bomb', gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20))],
          [
            'br',
            'brotli of invalid UTF-8',
            brotliCompressSync(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])),
          ],
          [
            'gzip',
            'deflate of garbage declared as gzip',
            deflateSync(garbage[0] ?? Buffer.alloc(1)),
          ],
          ['x-unknown', 'unknown encoding', json(route)],
          ['gzip, gzip', 'double encoding declared once', gzipSync(json(route))],
        ];
        for (const [encoding, label, body] of bodies) {
          await battery.send(
            request('encodings', `${encoding}: ${label}`, route, {
              token: tokenFor(route),
              body,
              headers: [['Content-Encoding', encoding]],
              expectStatus: [400, 413, 415],
            }),
          );
        }
        // Not JSON: read as no body at all (test/e2e bad-input), so only the checks every request gets apply.
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
        ]) {
          await battery.send(
            request('encodings', `Content-Type ${type}`, route, {
              token: tokenFor(route),
              headers: [['Content-Type', type]],
              body: Buffer.from('a=1&__proto__[x]=1'),
            }),
          );
        }
      }
      expectNoProblems('encodings');
    });

    it('refuses deeply nested bodies (3,000 levels and more) with 400 or 413', async () => {
      for (const route of postRoutes()) {
        for (const depth of [3_000, 10_000, 60_000]) {
          for (const kind of ['array', 'object'] as const) {
            const deep =
              kind === 'array'
                ? `${'['.repeat(depth)}${']'.repeat(depth)}`
                : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
            const inside = JSON.stringify({
              ...(baselineOf(route) as object),
              evidence: SLOT,
            }).replace(`"${SLOT}"`, deep);
            await battery.send(
              request('deep nesting', `${kind} depth ${depth} as evidence`, route, {
                token: tokenFor(route),
                body: Buffer.from(inside),
                expectStatus: [400, 413],
              }),
            );
            await battery.send(
              request('deep nesting', `${kind} depth ${depth} as the body`, route, {
                token: tokenFor(route),
                body: Buffer.from(deep),
                expectStatus: [400, 413],
              }),
            );
          }
        }
      }
      expectNoProblems('deep nesting');
    });

    it('does not route case-varied paths such as /API/v1/...', async () => {
      const variants = sample(
        fc
          .integer({ min: 0, max: api.routes.length - 1 })
          .chain((index) =>
            fc.tuple(
              fc.constant(index),
              caseVariant(api.routes[index]?.template.replace(/\{\w+\}/g, '{}') ?? ''),
            ),
          ),
        150,
      );
      for (const [index, variant] of [
        ...api.routes.map((route, index): [number, string] => [
          index,
          route.template.replace('/api/', '/API/').replace(/\{\w+\}/g, '{}'),
        ]),
        ...variants,
      ]) {
        const route = api.routes[index] as Route;
        const filled = pathOf({ ...route, template: variant.replace(/\{\}/g, '{x}') }, own);
        await battery.send(
          request('case-varied paths', 'case variant', route, {
            token: tokenFor(route) ?? tokens['admin'],
            path: filled,
            expectStatus: [404],
          }),
        );
        // The same in the absolute form of the request target (RFC 9112 §3.2.2).
        await battery.send(
          request('case-varied paths', 'absolute-form case variant', route, {
            token: tokenFor(route) ?? tokens['admin'],
            path: `${server.origin.origin}${filled}`,
            expectStatus: [404],
          }),
        );
      }
      expectNoProblems('case-varied paths');
    });

    it('counts every spelling of a path against the rate limit (case, absolute form, slashes)', async () => {
      // A second server on its own temp store with a small limit: 2 requests a minute per client (one more every 30 s).
      const previous = process.env['LEDGER_RATE_LIMIT_PER_MINUTE'];
      process.env['LEDGER_RATE_LIMIT_PER_MINUTE'] = '2';
      const limited = await startHostileServer();
      if (previous === undefined) delete process.env['LEDGER_RATE_LIMIT_PER_MINUTE'];
      else process.env['LEDGER_RATE_LIMIT_PER_MINUTE'] = previous;
      try {
        const limitedBattery = new Battery(limited);
        const submit = api.routes.find(
          (route) => route.method === 'POST' && route.template === '/api/v1/claims',
        ) as Route;
        const send = (path: string) =>
          limitedBattery.send(
            request('rate limit', `POST ${path}`, submit, { path, body: Buffer.from('{}') }),
          );
        for (let index = 0; index < 2; index += 1) await send('/api/v1/claims');
        const origin = limited.origin.origin;
        const spellings = [
          '/api/v1/claims',
          '/API/v1/claims',
          '/Api/V1/Claims',
          `${origin}/API/v1/claims`,
          `${origin}/api/v1/claims`,
          '/api/v1/claims/',
          '//api/v1/claims',
          '/api/v1/%63laims',
          '/api/v1/claims;x=1',
          '/api/v1/./claims',
          '/api/v1/x/../claims',
        ];
        const escaped: string[] = [];
        for (const path of spellings) {
          const statuses: number[] = [];
          for (let attempt = 0; attempt < 3; attempt += 1)
            statuses.push((await send(path)).response?.status ?? 0);
          // At most one token comes back while the spellings are sent: two of three must be 429.
          if (statuses.filter((status) => status === 429).length < 2)
            escaped.push(`${path}: ${statuses.join(',')}`);
        }
        expect([...limitedBattery.report('rate limit'), ...escaped]).toEqual([]);
      } finally {
        await limited.test.stop();
      }
    });

    it('answers concurrent requests with one Idempotency-Key with one outcome and no 5xx', async () => {
      const submit = api.routes.find(
        (route) => route.method === 'POST' && route.template === '/api/v1/claims',
      ) as Route;
      const register = api.routes.find(
        (route) => route.method === 'POST' && route.template === '/api/v1/applicants',
      ) as Route;
      for (let round = 0; round < 6; round += 1) {
        const fresh = await registered(server.actors);
        const applicantToken = await server.token(`user-${fresh.uscc}`, ['applicant'], fresh.uscc);
        await server.newEvents();
        const cases: Array<[Route, string | undefined, Buffer]> = [
          [
            submit,
            applicantToken,
            Buffer.from(JSON.stringify(claimBody(fresh.uscc, 'c3-trademark'))),
          ],
          [
            register,
            tokens['admin'],
            Buffer.from(
              JSON.stringify({ uscc: newUscc(), name: 'Concurrent Co', district: 'xihu' }),
            ),
          ],
        ];
        for (const [route, token, body] of cases) {
          const key = unique('same-key');
          const answers = await Promise.all(
            Array.from({ length: 8 }, () =>
              battery.send(
                request('idempotency races', `8 × one key on ${route.template}`, route, {
                  token,
                  body,
                  headers: [['Idempotency-Key', key]],
                  concurrent: true,
                }),
              ),
            ),
          );
          const statuses = answers.map((answer) => answer.response?.status);
          const created = answers.filter((answer) => answer.response?.status === 201);
          // A replay may order the keys differently: the same JSON value is the same answer.
          const bodies = new Set(created.map((answer) => canonical(answer.response?.json)));
          if (
            created.length === 0 ||
            bodies.size > 1 ||
            statuses.some((status) => status !== 201 && status !== 409)
          ) {
            battery.fail(
              'idempotency races',
              answers[0]?.request as HostileRequest,
              answers.find((answer) => (answer.response?.status ?? 0) >= 500)?.response,
              `statuses ${statuses.join(',')}, ${bodies.size} distinct 201 bodies: ${[...bodies].map((body) => body.slice(0, 300)).join(' | ')}`,
            );
          }
          const recorded = (await server.newEvents({ settle: true })).length;
          if (recorded !== 1)
            battery.fail(
              'idempotency races',
              answers[0]?.request as HostileRequest,
              undefined,
              `${recorded} events recorded for one key`,
            );
        }
      }
      expectNoProblems('idempotency races');
    });

    it('sends the security headers on every answer', () => {
      expectNoProblems('security headers');
    });

    it('keeps the data directory and its secret files private to the owner', () => {
      const dir = server.test.dataDir;
      const problems: string[] = [];
      if ((statSync(dir).mode & 0o077) !== 0)
        problems.push(`${dir} has mode ${(statSync(dir).mode & 0o777).toString(8)}`);
      for (const file of [
        'jwt-secret',
        ...(storeName === 'sqlite' ? ['ledger.db', 'read-models.db'] : []),
      ]) {
        const mode = statSync(join(dir, file)).mode & 0o777;
        if ((mode & 0o077) !== 0) problems.push(`${file} has mode ${mode.toString(8)}`);
      }
      expect(problems).toEqual([]);
    });

    it(`sends at least ${MINIMUM_REQUESTS} requests`, () => {
      expect(battery.requestCount).toBeGreaterThanOrEqual(MINIMUM_REQUESTS);
    });
  });
}

/** Paths (as key lists) of every object inside a JSON value, the root included. */
function objectPaths(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (Array.isArray(value))
    return value.flatMap((item, index) => objectPaths(item, [...prefix, index]));
  if (typeof value !== 'object' || value === null) return [];
  return [
    prefix,
    ...Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...prefix, key])),
  ];
}

const SLOT = 'zzHostileSlotzz';

/** Adds `"key": value` as raw JSON text into the object at `path` (a JS object could not carry `__proto__` as data). */
function insertKey(json: string, path: Array<string | number>, key: string, value: string): string {
  const body = JSON.parse(json) as unknown;
  const target = path.reduce<unknown>(
    (node, step) => (node as Record<string | number, unknown>)[step],
    body,
  ) as Record<string, unknown>;
  target[SLOT] = SLOT;
  return JSON.stringify(body).replace(`"${SLOT}":"${SLOT}"`, `${JSON.stringify(key)}:${value}`);
}

/** Replaces one slot of the baseline, adds one, or sends the hostile value as the whole body. */
function mutateBody(
  baseline: unknown,
  mode: 'replace' | 'add' | 'whole',
  pick: number,
  value: RawValue,
): { bytes: Buffer } {
  if (mode === 'whole') return { bytes: value };
  const body = JSON.parse(JSON.stringify(baseline ?? {})) as unknown;
  const slots = leafSlots(body);
  const objects = objectPaths(body);
  if (mode === 'replace' && slots.length > 0) {
    const path = slots[pick % slots.length] as Array<string | number>;
    const parent = path
      .slice(0, -1)
      .reduce<unknown>(
        (node, step) => (node as Record<string | number, unknown>)[step],
        body,
      ) as Record<string | number, unknown>;
    parent[path[path.length - 1] as string | number] = SLOT;
  } else {
    const path = objects[pick % Math.max(1, objects.length)] ?? [];
    const target = path.reduce<unknown>(
      (node, step) => (node as Record<string | number, unknown>)[step],
      body,
    ) as Record<string, unknown>;
    target[`field${pick % 7}`] = SLOT;
  }
  const text = JSON.stringify(body);
  const marker = `"${SLOT}"`;
  const at = text.indexOf(marker);
  return {
    bytes: Buffer.concat([
      Buffer.from(text.slice(0, at)),
      value,
      Buffer.from(text.slice(at + marker.length)),
    ]),
  };
}

/** Every non-container position of a JSON value (and every array/object too, so whole sub-trees get replaced). */
function leafSlots(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => leafSlots(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null)
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, item]) => leafSlots(item, [...prefix, key])),
    ];
  return here;
}

/** JSON text with object keys sorted, to compare two JSON values regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** C0 and C1 controls other than tab, line feed and carriage return: refused even in free text. */
function isControlNotLineBreak(codePoint: number): boolean {
  return (
    (codePoint < 0x20 && ![0x09, 0x0a, 0x0d].includes(codePoint)) ||
    (codePoint >= 0x7f && codePoint <= 0x9f)
  );
}
