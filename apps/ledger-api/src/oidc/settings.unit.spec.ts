import { loadConfig } from '../config';
import { problemsOf } from '../testing/config-problems';

describe('sign-in settings', () => {
  it('keeps the embedded provider off unless asked for', () => {
    const { oidc } = loadConfig({}, '/srv/ledger');
    expect(oidc.dev).toBe('off');
    expect(oidc.claims).toEqual({ roles: 'roles', applicant: 'applicant' });
    expect(loadConfig({ LEDGER_DEV_OIDC: 'dev' }, '/srv/ledger').oidc.dev).toBe('dev');
    expect(loadConfig({ LEDGER_DEV_OIDC: '1' }, '/srv/ledger').oidc.dev).toBe('on');
  });

  it('refuses the development default (what npm start sets) with NODE_ENV=production, naming the way out', () => {
    const problems = problemsOf({ NODE_ENV: 'production', LEDGER_DEV_OIDC: 'dev' });
    expect(problems).toEqual([
      expect.stringContaining('LEDGER_DEV_OIDC=dev is refused with NODE_ENV=production'),
    ]);
    expect(problems[0]).toContain('LEDGER_OIDC_ISSUER');
    expect(problems[0]).toContain('LEDGER_DEV_OIDC=1');
  });

  it('runs the embedded provider in production only when explicitly enabled with LEDGER_DEV_OIDC=1', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', LEDGER_DEV_OIDC: '1' }, '/srv/ledger').oidc.dev,
    ).toBe('on');
    expect(loadConfig({ NODE_ENV: 'production' }, '/srv/ledger').oidc.dev).toBe('off');
  });

  it('reads an external provider with its claim names; the audience defaults to the client id', () => {
    const { oidc } = loadConfig(
      {
        LEDGER_OIDC_ISSUER: 'https://sso.example.gov.cn/realms/hz',
        LEDGER_OIDC_CLIENT_ID: 'ledger-dashboard',
        LEDGER_OIDC_ROLES_CLAIM: 'realm_access.roles',
        LEDGER_OIDC_APPLICANT_CLAIM: 'hz_uscc',
      },
      '/srv/ledger',
    );
    expect(oidc).toEqual(
      expect.objectContaining({
        issuer: 'https://sso.example.gov.cn/realms/hz',
        clientId: 'ledger-dashboard',
        audience: 'ledger-dashboard',
        scope: 'openid profile',
        claims: { roles: 'realm_access.roles', applicant: 'hz_uscc' },
      }),
    );
  });

  it('reports inconsistent sign-in settings by name', () => {
    expect(problemsOf({ LEDGER_DEV_OIDC: 'yes' })).toEqual([
      expect.stringContaining('LEDGER_DEV_OIDC must be 0, 1 or dev'),
    ]);
    expect(problemsOf({ LEDGER_OIDC_ISSUER: 'https://sso.example/realms/hz' })).toEqual([
      expect.stringContaining('LEDGER_OIDC_CLIENT_ID is required'),
    ]);
    expect(
      problemsOf({
        LEDGER_DEV_OIDC: '1',
        LEDGER_OIDC_ISSUER: 'https://sso.example/realms/hz',
        LEDGER_OIDC_CLIENT_ID: 'x',
      }),
    ).toEqual([expect.stringContaining('LEDGER_DEV_OIDC and LEDGER_OIDC_ISSUER are exclusive')]);
    expect(problemsOf({ LEDGER_DEV_OIDC: '1', LEDGER_DEV_OIDC_TOKEN_TTL: '0' })).toEqual([
      expect.stringContaining('LEDGER_DEV_OIDC_TOKEN_TTL'),
    ]);
    expect(
      problemsOf({ LEDGER_DEV_OIDC: '1', LEDGER_JWKS_URL: 'https://sso.example/jwks' }),
    ).toEqual([expect.stringContaining('LEDGER_JWKS_URL')]);
  });
});
