import { SignJWT } from 'jose';
import { createTokenVerifier, mintToken, TokenRejected } from './token';

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
