/**
 * ledger-api with an external OpenID Connect provider configured (LEDGER_OIDC_*, README "Configuration"):
 * the provider is stood in for by its two public documents served over real HTTP (discovery and JWKS),
 * and signs access tokens the way Keycloak does (roles under `realm_access.roles`, the USCC in a custom
 * claim). Script tokens (HS256, LEDGER_JWT_SECRET) are accepted beside them.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { AuditLogger, mintToken } from '@hz/auth';
import { usccFromPrefix } from '@hz/ledger';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig, startServer, type StartedServer } from '../../apps/ledger-api/src';

const WORKSPACE = resolve(__dirname, '../..');
const SECRET = 'e2e-script-secret-at-least-32-bytes-long!';
const CLIENT_ID = 'hz-ledger-dashboard';
const OWN = usccFromPrefix('91330106MA2HD0001');
const OTHER = usccFromPrefix('91330106MA2HD0002');

interface Reply {
  readonly status: number;
  readonly body: { error?: { code: string; message: string }; [key: string]: unknown };
}

async function get(base: string, path: string, token: string): Promise<Reply> {
  const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

describe('provider (OIDC) tokens at the API, beside HS256 script tokens', () => {
  let idp: Server;
  let issuer: string;
  let providerKey: CryptoKey;
  let strangerKey: CryptoKey;
  let server: StartedServer;
  let dataDir: string;

  const providerToken = (
    payload: JWTPayload,
    options: { iss?: string; aud?: string; key?: CryptoKey } = {},
  ): Promise<string> =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(options.key ?? providerKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    providerKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    idp = createServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      if (request.url === '/realms/hz/.well-known/openid-configuration')
        response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/certs` }));
      else if (request.url === '/realms/hz/certs') response.end(JSON.stringify({ keys: [jwk] }));
      else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((done) => idp.listen(0, '127.0.0.1', done));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/realms/hz`;
    dataDir = mkdtempSync(join(tmpdir(), 'hz-e2e-oidc-'));
    const config = loadConfig({
      ...process.env,
      PORT: '0',
      LEDGER_HOST: '127.0.0.1',
      LEDGER_DATA_DIR: dataDir,
      LEDGER_JWT_SECRET: SECRET,
      LEDGER_OIDC_ISSUER: issuer,
      LEDGER_OIDC_CLIENT_ID: CLIENT_ID,
      LEDGER_OIDC_ROLES_CLAIM: 'realm_access.roles',
      LEDGER_OIDC_APPLICANT_CLAIM: 'hz_uscc',
    });
    server = await startServer(config, { logLevels: ['error'] });
    server.app.get(AuditLogger).useSink(() => undefined);
    const admin = await mintToken({ sub: 'e2e-admin', roles: ['admin'], secret: SECRET, ttl: 300 });
    for (const [uscc, name] of [
      [OWN, '杭州自有跨境电商有限公司'],
      [OTHER, '杭州他人跨境电商有限公司'],
    ] as const) {
      const response = await fetch(`${server.apiUrl}/applicants`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${admin}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': randomUUID(),
        },
        body: JSON.stringify({ uscc, name, district: 'xihu' }),
      });
      expect(response.status).toBe(201);
    }
  });

  afterAll(async () => {
    await server?.close();
    await new Promise((done) => idp?.close(done));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the dashboard the provider to sign in with', async () => {
    const response = await fetch(`${server.apiUrl}/auth/config`);
    expect(await response.json()).toEqual({
      oidc: { authority: issuer, clientId: CLIENT_ID, scope: 'openid profile', resource: null },
    });
  });

  it('accepts a provider token with the mapped claims, with exactly those roles', async () => {
    const reviewer = await providerToken({
      sub: 'kc-reviewer',
      realm_access: { roles: ['default-roles-hz', 'reviewer'] },
    });
    await expect(get(server.apiUrl, '/auth/me', reviewer)).resolves.toEqual({
      status: 200,
      body: { sub: 'kc-reviewer', roles: ['reviewer'], applicant: null },
    });
    expect((await get(server.apiUrl, '/claims?limit=1', reviewer)).status).toBe(200);
    // Known, but not an auditor: 403, not 401.
    const refused = await get(server.apiUrl, '/audit/verify', reviewer);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'AUTH.ROLE_REQUIRED']);
    const auditor = await providerToken({
      sub: 'kc-auditor',
      realm_access: { roles: ['auditor'] },
    });
    expect((await get(server.apiUrl, '/audit/verify', auditor)).status).toBe(200);
  });

  it('an applicant token acts for the USCC of its claim, and only that one', async () => {
    const applicant = await providerToken({
      sub: 'kc-company',
      realm_access: { roles: ['applicant'] },
      hz_uscc: OWN,
    });
    await expect(get(server.apiUrl, '/auth/me', applicant)).resolves.toEqual({
      status: 200,
      body: { sub: 'kc-company', roles: ['applicant'], applicant: OWN },
    });
    const own = await get(server.apiUrl, `/applicants/${OWN}`, applicant);
    expect([own.status, own.body['name']]).toEqual([200, '杭州自有跨境电商有限公司']);
    const other = await get(server.apiUrl, `/applicants/${OTHER}`, applicant);
    expect([other.status, other.body.error?.code]).toEqual([403, 'AUTH.NOT_YOUR_APPLICANT']);
  });

  it('refuses with 401 a token of another issuer, for another audience, or signed by another key', async () => {
    const claims = { sub: 'kc-admin', realm_access: { roles: ['admin'] } };
    const cases: Array<[string, Promise<string>, string]> = [
      [
        'another issuer',
        providerToken(claims, { iss: 'https://sso.elsewhere.example/realms/hz' }),
        "the token's iss claim is not accepted",
      ],
      [
        'another audience',
        providerToken(claims, { aud: 'some-other-app' }),
        "the token's aud claim is not accepted",
      ],
      [
        'another key',
        providerToken(claims, { key: strangerKey }),
        'the token is malformed or its signature does not verify',
      ],
    ];
    for (const [what, token, message] of cases) {
      for (const path of ['/claims?limit=1', '/auth/me']) {
        const reply = await get(server.apiUrl, path, await token);
        expect({ what, path, status: reply.status, error: reply.body.error }).toEqual({
          what,
          path,
          status: 401,
          error: expect.objectContaining({ code: 'AUTH.TOKEN_INVALID', message }),
        });
      }
    }
    const roleless = await get(
      server.apiUrl,
      '/claims?limit=1',
      await providerToken({ sub: 'kc-nobody', realm_access: { roles: ['offline_access'] } }),
    );
    expect([roleless.status, roleless.body.error?.code]).toEqual([401, 'AUTH.CLAIMS_INVALID']);
  });

  it('keeps accepting HS256 script tokens signed with LEDGER_JWT_SECRET', async () => {
    const script = await mintToken({
      sub: 'nightly-export',
      roles: ['auditor'],
      secret: SECRET,
      ttl: 60,
    });
    await expect(get(server.apiUrl, '/auth/me', script)).resolves.toEqual({
      status: 200,
      body: { sub: 'nightly-export', roles: ['auditor'], applicant: null },
    });
    const forged = await mintToken({
      sub: 'mallory',
      roles: ['admin'],
      secret: `${SECRET}-not-ours`,
      ttl: 60,
    });
    expect((await get(server.apiUrl, '/claims?limit=1', forged)).status).toBe(401);
  });

  it('a real ledger-api process refuses the embedded development provider with NODE_ENV=production', async () => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/ledger-api/src/main.ts'],
      {
        cwd: WORKSPACE,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LEDGER_DEV_OIDC: 'dev',
          PORT: '0',
          LEDGER_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(2);
    expect(output).toContain('LEDGER_DEV_OIDC=dev is refused with NODE_ENV=production');
  });
});
