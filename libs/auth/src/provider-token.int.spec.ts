/**
 * Provider (OpenID Connect) tokens next to the CLI's HS256 tokens: the keys are served over real HTTP as
 * a provider serves its JWKS and discovery document; the claim names are configured as for Keycloak.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { createTokenVerifier, mintToken, TokenRejected, type TokenVerifier } from './token';

const secret = 'script-secret-that-is-at-least-32-bytes!';
const USCC = '91330100007UFM92K6';
const AUDIENCE = 'hz-ledger-api';
const claims = { roles: 'realm_access.roles', applicant: 'hz_uscc' };

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenRejected) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('provider tokens through the JWKS, beside HS256 script tokens', () => {
  let server: Server;
  let issuer: string;
  let providerKey: CryptoKey;
  let strangerKey: CryptoKey;
  let jwksRequests = 0;
  let verify: TokenVerifier;

  const sign = (
    payload: JWTPayload,
    options: { key?: CryptoKey; iss?: string; aud?: string; exp?: number; alg?: string } = {},
  ): Promise<string> =>
    new SignJWT(payload)
      .setProtectedHeader({
        alg: options.alg ?? 'ES256',
        kid: options.key === strangerKey ? 'stranger' : 'provider',
      })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(options.key ?? providerKey);

  beforeAll(async () => {
    const provider = await generateKeyPair('ES256', { extractable: true });
    providerKey = provider.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const publicJwk = {
      ...(await exportJWK(provider.publicKey)),
      kid: 'provider',
      alg: 'ES256',
      use: 'sig',
    };
    server = createServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      if (request.url === '/realms/hz/.well-known/openid-configuration') {
        response.end(
          JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }),
        );
      } else if (request.url === '/realms/hz/protocol/openid-connect/certs') {
        jwksRequests += 1;
        response.end(JSON.stringify({ keys: [publicJwk] }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/hz`;
    // No JWKS URL: it is discovered from the issuer, as the README documents.
    verify = createTokenVerifier({ secret, oidc: { issuer, audience: AUDIENCE, claims } });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('maps the configured roles claim (ignoring foreign roles) and the USCC claim', async () => {
    const reviewer = await sign({
      sub: 'u-1',
      realm_access: { roles: ['offline_access', 'reviewer', 'finance'] },
    });
    await expect(verify(reviewer)).resolves.toEqual({ sub: 'u-1', roles: ['reviewer', 'finance'] });
    const applicant = await sign({
      sub: 'u-2',
      realm_access: { roles: ['applicant'] },
      hz_uscc: USCC,
    });
    await expect(verify(applicant)).resolves.toEqual({
      sub: 'u-2',
      roles: ['applicant'],
      applicant: USCC,
    });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('still accepts the CLI HS256 tokens for scripts', async () => {
    const token = await mintToken({ sub: 'nightly-export', roles: ['auditor'], secret, ttl: 60 });
    await expect(verify(token)).resolves.toEqual({ sub: 'nightly-export', roles: ['auditor'] });
  });

  it('refuses a token of another issuer, for another audience, signed by another key, or expired', async () => {
    const payload = { sub: 'u-1', realm_access: { roles: ['admin'] } };
    await expect(
      rejection(verify(await sign(payload, { iss: 'https://elsewhere.example/realms/hz' }))),
    ).resolves.toBe("AUTH.TOKEN_INVALID: the token's iss claim is not accepted");
    await expect(rejection(verify(await sign(payload, { aud: 'another-app' })))).resolves.toBe(
      "AUTH.TOKEN_INVALID: the token's aud claim is not accepted",
    );
    await expect(rejection(verify(await sign(payload, { key: strangerKey })))).resolves.toMatch(
      /^AUTH.TOKEN_INVALID/,
    );
    await expect(
      rejection(verify(await sign(payload, { exp: Math.floor(Date.now() / 1000) - 600 }))),
    ).resolves.toMatch(/^AUTH.TOKEN_EXPIRED/);
  });

  it('refuses provider tokens without a ledger role, or an applicant without a USCC', async () => {
    await expect(
      rejection(verify(await sign({ sub: 'u-3', realm_access: { roles: ['uma_authorization'] } }))),
    ).resolves.toMatch(/^AUTH.CLAIMS_INVALID: .*realm_access.roles/);
    await expect(
      rejection(verify(await sign({ sub: 'u-4', realm_access: { roles: ['applicant'] } }))),
    ).resolves.toMatch(/^AUTH.CLAIMS_INVALID: .*hz_uscc/);
    await expect(
      rejection(
        verify(
          await sign({ sub: 'u-5', realm_access: { roles: ['applicant'] }, hz_uscc: 'not-a-uscc' }),
        ),
      ),
    ).resolves.toMatch(/^AUTH.CLAIMS_INVALID/);
  });

  it('without a secret, HS256 tokens are refused even when they carry the right claims', async () => {
    const providerOnly = createTokenVerifier({ oidc: { issuer, audience: AUDIENCE, claims } });
    const token = await mintToken({ sub: 'nightly-export', roles: ['auditor'], secret, ttl: 60 });
    await expect(rejection(providerOnly(token))).resolves.toBe(
      'AUTH.TOKEN_INVALID: tokens signed this way are not accepted here',
    );
  });

  it('refuses provider tokens while the issuer is not known yet (the embedded provider before it listens)', async () => {
    const known: { issuer?: string } = {};
    const late = createTokenVerifier({
      secret,
      oidc: {
        issuer: () => known.issuer,
        audience: AUDIENCE,
        jwksUrl: `${issuer}/protocol/openid-connect/certs`,
        claims,
      },
    });
    const token = await sign({ sub: 'u-1', realm_access: { roles: ['auditor'] } });
    await expect(rejection(late(token))).resolves.toBe(
      'AUTH.TOKEN_INVALID: the identity provider is not ready yet',
    );
    known.issuer = issuer;
    await expect(late(token)).resolves.toEqual({ sub: 'u-1', roles: ['auditor'] });
  });
});
