/**
 * Sign-in settings from the environment (README "Configuration"): an external OpenID Connect provider
 * (LEDGER_OIDC_*), or the embedded development provider at /oidc (LEDGER_DEV_OIDC), never both.
 */
import type { ProviderClaimNames } from '@hz/auth';
import type { Settings, VariableName } from '@hz/config';

/** Where the embedded provider is mounted, on the API's own origin. */
export const DEV_OIDC_PATH = '/oidc';
/** The dashboard's client id at the embedded provider. */
export const DEV_OIDC_CLIENT_ID = 'hz-ledger-dashboard';
/** The resource (and `aud`) of the embedded provider's access tokens for this API. */
export const DEV_OIDC_RESOURCE = 'urn:hz-ledger:api';
/** The resource scope the dashboard asks the embedded provider for. */
export const DEV_OIDC_API_SCOPE = 'ledger';

/**
 * For the security headers of server.ts: the sign-in pages post their forms to, and the dashboard
 * fetches discovery, token and end-session endpoints from, this same-origin path; a CSP needs
 * `form-action 'self'` and `connect-src 'self'` (nothing leaves the origin with the embedded provider).
 */
export const OIDC_SAME_ORIGIN_PATHS = [DEV_OIDC_PATH] as const;

export type DevOidcMode = 'off' | 'on' | 'dev';

export interface OidcSettings {
  /**
   * LEDGER_DEV_OIDC: `1` runs the embedded provider; `dev` (what `npm start` sets unless the variable is
   * given) runs it too but is refused with NODE_ENV=production; unset or `0`: off.
   */
  readonly dev: DevOidcMode;
  /** LEDGER_DEV_OIDC_TOKEN_TTL: lifetime in seconds of the embedded provider's access and ID tokens. */
  readonly devTokenTtlSeconds: number;
  /** LEDGER_DEV_OIDC_SESSION_TTL: lifetime of its sign-in session (and the session-bound refresh token). */
  readonly devSessionTtlSeconds: number;
  /** LEDGER_OIDC_ISSUER: an external provider's issuer URL. */
  readonly issuer?: string;
  /** LEDGER_OIDC_CLIENT_ID: the dashboard's (public, PKCE) client at that provider. */
  readonly clientId?: string;
  /** LEDGER_OIDC_AUDIENCE: `aud` the API requires in access tokens; defaults to the client id. */
  readonly audience?: string;
  /** LEDGER_OIDC_SCOPE: what the dashboard asks for. */
  readonly scope: string;
  /** LEDGER_OIDC_RESOURCE: a `resource` parameter sent with the authorization request, for providers that need one. */
  readonly resource?: string;
  /** LEDGER_OIDC_JWKS_URL: the provider's keys; by default the jwks_uri of its discovery document. */
  readonly jwksUrl?: string;
  /** LEDGER_OIDC_ROLES_CLAIM / LEDGER_OIDC_APPLICANT_CLAIM. */
  readonly claims: ProviderClaimNames;
  /** LEDGER_PUBLIC_URL: the URL browsers reach the service at, when it is not the listening address (a proxy, 0.0.0.0). */
  readonly publicUrl?: string;
}

type Read = (name: VariableName) => string | undefined;
/** The sign-in variables the schema (@hz/config) parses and defaults; the rest is read as given text. */
type ParsedOidc = Pick<
  Settings,
  | 'LEDGER_DEV_OIDC_TOKEN_TTL'
  | 'LEDGER_DEV_OIDC_SESSION_TTL'
  | 'LEDGER_OIDC_SCOPE'
  | 'LEDGER_OIDC_ROLES_CLAIM'
  | 'LEDGER_OIDC_APPLICANT_CLAIM'
>;

export function readOidcSettings(read: Read, parsed: ParsedOidc, problems: string[]): OidcSettings {
  const devText = read('LEDGER_DEV_OIDC') ?? '0';
  let dev: DevOidcMode = 'off';
  if (devText === '1' || devText === 'true') dev = 'on';
  else if (devText === 'dev') dev = 'dev';
  else if (devText !== '0' && devText !== 'false')
    problems.push(`LEDGER_DEV_OIDC must be 0, 1 or dev, got "${devText}"`);
  const settings: OidcSettings = {
    dev,
    devTokenTtlSeconds: parsed.LEDGER_DEV_OIDC_TOKEN_TTL,
    devSessionTtlSeconds: parsed.LEDGER_DEV_OIDC_SESSION_TTL,
    issuer: read('LEDGER_OIDC_ISSUER'),
    clientId: read('LEDGER_OIDC_CLIENT_ID'),
    audience: read('LEDGER_OIDC_AUDIENCE') ?? read('LEDGER_OIDC_CLIENT_ID'),
    scope: parsed.LEDGER_OIDC_SCOPE,
    resource: read('LEDGER_OIDC_RESOURCE'),
    jwksUrl: read('LEDGER_OIDC_JWKS_URL'),
    claims: {
      roles: parsed.LEDGER_OIDC_ROLES_CLAIM,
      applicant: parsed.LEDGER_OIDC_APPLICANT_CLAIM,
    },
    publicUrl: read('LEDGER_PUBLIC_URL'),
  };
  const production = read('NODE_ENV') === 'production';
  if (dev === 'dev' && production) {
    problems.push(
      'LEDGER_DEV_OIDC=dev is refused with NODE_ENV=production: the embedded provider signs in seeded development users with a known password. ' +
        'Configure your identity provider (LEDGER_OIDC_ISSUER, LEDGER_OIDC_CLIENT_ID), or set LEDGER_DEV_OIDC=1 to run it anyway',
    );
  }
  if (dev !== 'off' && settings.issuer)
    problems.push(
      'LEDGER_DEV_OIDC and LEDGER_OIDC_ISSUER are exclusive: sign in through one provider',
    );
  if (settings.issuer !== undefined && !isHttpUrl(settings.issuer))
    problems.push('LEDGER_OIDC_ISSUER must be an http(s) URL');
  if (settings.issuer !== undefined && settings.clientId === undefined)
    problems.push('LEDGER_OIDC_CLIENT_ID is required with LEDGER_OIDC_ISSUER');
  if (settings.issuer === undefined && settings.clientId !== undefined)
    problems.push('LEDGER_OIDC_CLIENT_ID needs LEDGER_OIDC_ISSUER');
  if (settings.jwksUrl !== undefined && !isHttpUrl(settings.jwksUrl))
    problems.push('LEDGER_OIDC_JWKS_URL must be an http(s) URL');
  if (settings.publicUrl !== undefined && !isHttpUrl(settings.publicUrl))
    problems.push('LEDGER_PUBLIC_URL must be an http(s) URL');
  if ((dev !== 'off' || settings.issuer !== undefined) && read('LEDGER_JWKS_URL') !== undefined) {
    problems.push(
      'LEDGER_JWKS_URL is the single-provider setting without sign-in; with LEDGER_OIDC_ISSUER use LEDGER_OIDC_JWKS_URL, with LEDGER_DEV_OIDC none',
    );
  }
  if (!/\bopenid\b/.test(settings.scope)) problems.push('LEDGER_OIDC_SCOPE must include openid');
  return settings;
}

/** True when the embedded provider runs (the configuration was accepted, so `dev` is not in production). */
export function devOidcEnabled(settings: OidcSettings): boolean {
  return settings.dev !== 'off';
}

function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(text);
}
