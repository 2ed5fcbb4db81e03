/**
 * One real ledger-api per spec file for the hostile battery, started by the e2e suite's own helper
 * (test/e2e/support/server.ts), so the store comes from the environment: a temp SQLite data dir, or the
 * throwaway PostgreSQL database of the e2e-postgres jest environment. The server is told to check the
 * token's issuer and audience, so that "wrong issuer" and "wrong audience" are real refusals.
 */
import { SignJWT } from 'jose';
import { mintToken, type Role } from '@hz/auth';
import type { RecordedEvent } from '@hz/event-store';
// test/e2e is an application project, not a library: its helpers are imported by path (additive reuse).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestServer, type TestServer } from '../../e2e/support/server';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { actorsOf, type Actors } from '../../e2e/support/fixtures';

export const ISSUER = 'hz-ledger-hostile-issuer';
export const AUDIENCE = 'hz-ledger-api';

export interface HostileServer {
  readonly test: TestServer;
  readonly origin: URL;
  readonly store: 'sqlite' | 'postgres';
  readonly actors: Actors;
  /** A valid token (right secret, issuer and audience). */
  token(sub: string, roles: Role[], applicant?: string): Promise<string>;
  /** Tokens that must all be refused with 401. */
  badTokens(): Promise<ReadonlyArray<{ kind: string; header: string | undefined }>>;
  /**
   * Events appended after the last seen position, read straight from the store. With `settle`, first waits
   * for the in-process projector (see TestServer.settled: on PostgreSQL a fresh event can be hidden while
   * an older transaction is open); without, it is one cheap read, enough after a refusal, which wrote nothing.
   */
  newEvents(options?: { settle?: boolean }): Promise<RecordedEvent[]>;
  /** An accepted write answered with its log `position`: its events are the ones up to there. */
  accepted(position: bigint): void;
  headPosition(): Promise<bigint>;
}

export interface HostileServerOptions {
  /**
   * `external`: no in-process projector (as in the docker stacks, where apps/projector runs apart). For
   * suites that only write and read streams, it spares every write the projector's work in the same process.
   */
  readonly projector?: 'in-process' | 'external';
}

export async function startHostileServer(
  options: HostileServerOptions = {},
): Promise<HostileServer> {
  process.env['LEDGER_PROJECTOR'] = options.projector ?? 'in-process';
  process.env['LEDGER_JWT_ISSUER'] = ISSUER;
  process.env['LEDGER_JWT_AUDIENCE'] = AUDIENCE;
  // X-Min-Position beyond the read models answers at once (the documented 503) instead of after 5 s.
  process.env['LEDGER_MIN_POSITION_WAIT_MS'] = '0';
  const test = await startTestServer();
  const secret = test.server.jwtSecret;
  if (!secret) throw new Error('the hostile battery mints HS256 tokens');
  const token = (sub: string, roles: Role[], applicant?: string) =>
    mintToken({ sub, roles, applicant, secret, ttl: 3600, issuer: ISSUER, audience: AUDIENCE });
  const actors = await actorsOf({ ...test, token });
  // Without an in-process projector there is nothing to wait for (and Nest has no runner to look up).
  const settle = options.projector === 'external' ? async () => undefined : () => test.settled();
  let seen = await lastPosition(test, settle);
  const store = process.env['LEDGER_EVENT_STORE'] === 'postgres' ? 'postgres' : 'sqlite';
  return {
    test,
    origin: new URL(test.server.url),
    store,
    actors,
    token,
    badTokens: async () => {
      const claims = { roles: ['reviewer'] };
      const key = new TextEncoder().encode(secret);
      const otherKey = new TextEncoder().encode('another-secret-of-at-least-thirty-two-bytes!');
      const now = Math.floor(Date.now() / 1000);
      const sign = (
        payload: Record<string, unknown>,
        signingKey: Uint8Array,
        fields: { iss?: string; aud?: string; iat?: number; exp?: number },
      ) => {
        let jwt = new SignJWT(payload)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject('mallory')
          .setIssuedAt(fields.iat ?? now)
          .setExpirationTime(fields.exp ?? now + 3600);
        if (fields.iss !== undefined) jwt = jwt.setIssuer(fields.iss);
        if (fields.aud !== undefined) jwt = jwt.setAudience(fields.aud);
        return jwt.sign(signingKey);
      };
      const right = { iss: ISSUER, aud: AUDIENCE };
      const valid = await sign(claims, key, right);
      const [header = '', payload = ''] = valid.split('.');
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const tampered = `${header}.${b64({ sub: 'mallory', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now + 3600 })}.${valid.split('.')[2]}`;
      return [
        { kind: 'none', header: undefined },
        { kind: 'empty bearer', header: 'Bearer ' },
        { kind: 'malformed', header: 'Bearer not.a.jwt' },
        { kind: 'not bearer', header: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
        { kind: 'garbage segments', header: `Bearer ${header}.${payload}` },
        { kind: 'wrong signature', header: `Bearer ${await sign(claims, otherKey, right)}` },
        { kind: 'tampered payload', header: `Bearer ${tampered}` },
        {
          kind: 'expired',
          header: `Bearer ${await sign(claims, key, { ...right, iat: now - 7200, exp: now - 3600 })}`,
        },
        {
          kind: 'wrong issuer',
          header: `Bearer ${await sign(claims, key, { ...right, iss: 'https://evil.example' })}`,
        },
        { kind: 'no issuer', header: `Bearer ${await sign(claims, key, { aud: AUDIENCE })}` },
        {
          kind: 'wrong audience',
          header: `Bearer ${await sign(claims, key, { ...right, aud: 'another-api' })}`,
        },
        {
          kind: 'alg none',
          header: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now + 3600 })}.`,
        },
        { kind: 'missing roles', header: `Bearer ${await sign({}, key, right)}` },
        { kind: 'empty roles', header: `Bearer ${await sign({ roles: [] }, key, right)}` },
        {
          kind: 'unknown role',
          header: `Bearer ${await sign({ roles: ['superuser'] }, key, right)}`,
        },
        {
          kind: 'applicant without USCC',
          header: `Bearer ${await sign({ roles: ['applicant'] }, key, right)}`,
        },
      ];
    },
    newEvents: async (readOptions = {}) => {
      if (readOptions.settle !== false) await settle();
      const events = await test.server.store.readAll({ fromPosition: seen, maxCount: 1000 });
      const last = events[events.length - 1];
      if (last) seen = last.position;
      return events;
    },
    accepted: (position) => {
      if (position > seen) seen = position;
    },
    headPosition: () => lastPosition(test, settle),
  };
}

async function lastPosition(test: TestServer, settle: () => Promise<void>): Promise<bigint> {
  await settle();
  return test.server.store.headPosition();
}
