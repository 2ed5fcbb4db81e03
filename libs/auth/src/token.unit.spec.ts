import { SignJWT } from 'jose';
import { createTokenVerifier, mintToken, TokenRejected, VerifiedTokens } from './token';

const secret = 'test-secret-that-is-at-least-32-bytes-long!';
const verify = createTokenVerifier({ secret });

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenRejected) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('tokens', () => {
  it('given a minted reviewer token, when verified, then the caller is known with its roles', async () => {
    const token = await mintToken({ sub: 'alice', roles: ['reviewer'], secret, ttl: 60 });
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', roles: ['reviewer'] });
  });

  it('keeps the applicant USCC an applicant acts for', async () => {
    const token = await mintToken({
      sub: 'acme',
      roles: ['applicant'],
      applicant: '91330100MA27XXXX1A',
      secret,
      ttl: '1h',
    });
    await expect(verify(token)).resolves.toEqual({
      sub: 'acme',
      roles: ['applicant'],
      applicant: '91330100MA27XXXX1A',
    });
  });

  it('refuses an expired token with AUTH.TOKEN_EXPIRED', async () => {
    const token = await mintToken({
      sub: 'alice',
      roles: ['reviewer'],
      secret,
      ttl: 60,
      issuedAt: new Date(Date.now() - 3_600_000),
    });
    await expect(rejection(verify(token))).resolves.toBe('AUTH.TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await mintToken({
      sub: 'mallory',
      roles: ['admin'],
      secret: `${secret}-other`,
      ttl: 60,
    });
    await expect(rejection(verify(token))).resolves.toBe('AUTH.TOKEN_INVALID');
  });

  it('refuses garbage and an empty token', async () => {
    await expect(rejection(verify('not.a.jwt'))).resolves.toBe('AUTH.TOKEN_INVALID');
    await expect(rejection(verify(''))).resolves.toBe('AUTH.TOKEN_MISSING');
  });

  it('refuses unknown roles and applicant tokens without a USCC', async () => {
    const key = new TextEncoder().encode(secret);
    const unknownRole = await new SignJWT({ roles: ['root'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(key);
    await expect(rejection(verify(unknownRole))).resolves.toBe('AUTH.CLAIMS_INVALID');
    const noUscc = await new SignJWT({ roles: ['applicant'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(key);
    await expect(rejection(verify(noUscc))).resolves.toBe('AUTH.CLAIMS_INVALID');
  });

  it('checks issuer and audience when configured', async () => {
    const strict = createTokenVerifier({
      secret,
      issuer: 'https://idp.example',
      audience: 'ledger',
    });
    const good = await mintToken({
      sub: 'a',
      roles: ['auditor'],
      secret,
      ttl: 60,
      issuer: 'https://idp.example',
      audience: 'ledger',
    });
    await expect(strict(good)).resolves.toEqual({ sub: 'a', roles: ['auditor'] });
    const wrongAudience = await mintToken({
      sub: 'a',
      roles: ['auditor'],
      secret,
      ttl: 60,
      issuer: 'https://idp.example',
      audience: 'other',
    });
    await expect(rejection(strict(wrongAudience))).resolves.toBe('AUTH.TOKEN_INVALID');
  });

  it('refuses to run with a short secret', () => {
    expect(() => createTokenVerifier({ secret: 'short' })).toThrow(/at least 32 bytes/);
  });
});

describe('verified HS256 tokens remembered (issue 12)', () => {
  const issuedAt = new Date('2026-03-02T08:00:00Z');
  const clockAt = (offsetSeconds: number): Date =>
    new Date(issuedAt.getTime() + offsetSeconds * 1000);

  /** A verifier on a clock the test moves, with at most `cached` remembered tokens. */
  function pinnedVerifier(cached = 10): {
    verify: ReturnType<typeof createTokenVerifier>;
    at: (s: number) => void;
  } {
    let now = clockAt(0);
    return {
      verify: createTokenVerifier({ secret, now: () => now, verifiedTokensCached: cached }),
      at: (seconds) => {
        now = clockAt(seconds);
      },
    };
  }

  const reviewer = (ttl = 60): Promise<string> =>
    mintToken({ sub: 'alice', roles: ['reviewer'], secret, ttl, issuedAt });

  it('answers the same token again after its exp passes only as a fresh verification would: expired', async () => {
    const { verify, at } = pinnedVerifier();
    const token = await reviewer(60);
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', roles: ['reviewer'] });
    at(59);
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', roles: ['reviewer'] });
    at(60 + 31); // past exp and the 30 s tolerance
    await expect(rejection(verify(token))).resolves.toBe('AUTH.TOKEN_EXPIRED');
  });

  it('never lets a changed signature through on the strength of the remembered token', async () => {
    const { verify } = pinnedVerifier();
    const token = await reviewer();
    await verify(token);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    await expect(rejection(verify(`${token.slice(0, -1)}${last}`))).resolves.toBe(
      'AUTH.TOKEN_INVALID',
    );
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', roles: ['reviewer'] });
  });

  it('hands each request its own copy of the caller', async () => {
    const { verify } = pinnedVerifier();
    const token = await reviewer();
    const first = await verify(token);
    (first.roles as string[]).push('admin');
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', roles: ['reviewer'] });
  });

  it('keeps at most its bound, forgetting the least recently used', () => {
    let now = clockAt(0);
    const tokens = new VerifiedTokens(2, () => now);
    const user = { sub: 'a', roles: ['auditor' as const] };
    const exp = clockAt(3600).getTime() / 1000;
    tokens.remember('one', { exp }, user);
    tokens.remember('two', { exp }, user);
    expect(tokens.lookup('one')).toBeDefined(); // one is now the most recently used
    tokens.remember('three', { exp }, user);
    expect(tokens.size).toBe(2);
    expect(tokens.lookup('two')).toBeUndefined();
    expect(tokens.lookup('one')).toBeDefined();
    expect(tokens.lookup('three')).toBeDefined();
    now = clockAt(3600);
    expect(tokens.lookup('one')).toBeUndefined();
    expect(tokens.size).toBe(1);
  });

  it('remembers nothing without exp, before nbf, already expired, or with a bound of 0', () => {
    const now = clockAt(0);
    const user = { sub: 'a', roles: ['auditor' as const] };
    const tokens = new VerifiedTokens(10, () => now);
    const seconds = (offset: number): number => clockAt(offset).getTime() / 1000;
    tokens.remember('no-exp', {}, user);
    tokens.remember('not-yet', { exp: seconds(600), nbf: seconds(10) }, user);
    tokens.remember('expired', { exp: seconds(0) }, user);
    expect(tokens.size).toBe(0);
    const none = new VerifiedTokens(0, () => now);
    none.remember('fine', { exp: seconds(600) }, user);
    expect(none.lookup('fine')).toBeUndefined();
    expect(none.size).toBe(0);
  });
});
