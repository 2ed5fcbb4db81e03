/**
 * Sign-in wiring of ledger-api (README "Configuration", docs/decisions.md):
 * - `GET /api/v1/auth/config` (public): what the dashboard needs to start the code flow, or `oidc: null`;
 * - `GET /api/v1/auth/me`: the caller as the API sees it (after claim mapping), for the dashboard to
 *   know the roles and USCC it signed in with whatever the provider calls its claims;
 * - the embedded development provider under /oidc when LEDGER_DEV_OIDC enables it. Its issuer is the
 *   server's own URL, known once it listens (or LEDGER_PUBLIC_URL), so it starts in `start(url)`; until
 *   then its pages answer 503 and its tokens are refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { pathnameOf, useAtEdge } from '@hz/api';
import { TOKEN_VERIFIER, TokenRejected, type OidcTokenConfig, type TokenVerifier } from '@hz/auth';
import type { Provider } from 'oidc-provider';
import type { LedgerConfig } from '../config';
import { readOrCreateDevOidcKeys, type DevOidcKeys } from './dev-keys';
import { createEmbeddedProvider, handleInteraction } from './embedded-provider';
import { LOGIN_CSS, LOGIN_CSS_PATH, errorPage } from './pages';
import {
  DEV_OIDC_API_SCOPE,
  DEV_OIDC_CLIENT_ID,
  DEV_OIDC_PATH,
  DEV_OIDC_RESOURCE,
  devOidcEnabled,
} from './settings';

export const AUTH_CONFIG_PATH = '/api/v1/auth/config';
export const AUTH_ME_PATH = '/api/v1/auth/me';

/** What `GET /api/v1/auth/config` answers. */
export interface DashboardAuthConfig {
  readonly oidc: {
    readonly authority: string;
    readonly clientId: string;
    readonly scope: string;
    readonly resource: string | null;
  } | null;
}

export interface SignIn {
  /** For the token verifier (AuthConfig.oidc); absent when no provider is configured. */
  readonly tokens?: OidcTokenConfig;
  /** The embedded provider's issuer once started. */
  issuer(): string | undefined;
  /** The embedded provider's key file, when it runs. */
  readonly keysFile?: string;
  /** Middleware on node:http's request and response: the same on Express and Fastify (LEDGER_HTTP_ADAPTER). */
  mount(app: INestApplication): void;
  /** `log` receives the provider's own notices (it writes them to the console otherwise). */
  start(serverUrl: string, log?: (notice: string) => void): Promise<void>;
}

type Next = (error?: unknown) => void;

export function prepareSignIn(config: LedgerConfig): SignIn {
  const settings = config.oidc;
  const dev = devOidcEnabled(settings);
  const keys: DevOidcKeys | undefined = dev ? readOrCreateDevOidcKeys(config.dataDir) : undefined;
  let issuer: string | undefined;
  let appOrigin: string | undefined;
  let provider: Provider | undefined;
  let tokens: OidcTokenConfig | undefined;
  if (keys) {
    tokens = {
      issuer: () => issuer,
      audience: DEV_OIDC_RESOURCE,
      jwks: keys.publicJwks,
      claims: settings.claims,
    };
  } else if (settings.issuer && settings.audience) {
    tokens = {
      issuer: settings.issuer,
      audience: settings.audience,
      jwksUrl: settings.jwksUrl,
      claims: settings.claims,
    };
  }

  const dashboardConfig = (): DashboardAuthConfig => {
    if (keys) {
      return {
        oidc: issuer
          ? {
              authority: issuer,
              clientId: DEV_OIDC_CLIENT_ID,
              scope: `openid profile ${DEV_OIDC_API_SCOPE}`,
              resource: null,
            }
          : null,
      };
    }
    if (settings.issuer && settings.clientId) {
      return {
        oidc: {
          authority: settings.issuer,
          clientId: settings.clientId,
          scope: settings.scope,
          resource: settings.resource ?? null,
        },
      };
    }
    return { oidc: null };
  };

  return {
    tokens,
    issuer: () => issuer,
    keysFile: keys?.file,
    mount(app) {
      const verify = app.get<TokenVerifier>(TOKEN_VERIFIER);
      // On Fastify in the edge's request hook rather than through middie (useAtEdge, @hz/api).
      useAtEdge(
        app,
        AUTH_CONFIG_PATH,
        (request: IncomingMessage, response: ServerResponse, next: Next) => {
          if (request.method !== 'GET' || !isExactPath(request, AUTH_CONFIG_PATH)) return next();
          sendJson(response, 200, dashboardConfig());
        },
      );
      useAtEdge(
        app,
        AUTH_ME_PATH,
        (request: IncomingMessage, response: ServerResponse, next: Next) => {
          if (request.method !== 'GET' || !isExactPath(request, AUTH_ME_PATH)) return next();
          whoAmI(request, verify).then(
            (user) =>
              sendJson(response, 200, {
                sub: user.sub,
                roles: user.roles,
                applicant: user.applicant ?? null,
              }),
            (error: unknown) => {
              if (!(error instanceof TokenRejected)) return next(error);
              sendJson(response, 401, {
                error: { code: error.code, message: error.message, details: null },
              });
            },
          );
        },
      );
      if (!keys) return;
      app.use(
        DEV_OIDC_PATH,
        (request: IncomingMessage & { url: string }, response: ServerResponse, next: Next) => {
          if (!isMountedAt(request, DEV_OIDC_PATH)) return next();
          if (!provider) {
            response.statusCode = 503;
            response.setHeader('Content-Type', 'text/html; charset=utf-8');
            response.end(errorPage({ error: 'temporarily_unavailable' }));
            return;
          }
          const path = request.url.split('?')[0] ?? '';
          if (`${DEV_OIDC_PATH}${path}` === LOGIN_CSS_PATH) {
            response.setHeader('Content-Type', 'text/css; charset=utf-8');
            response.setHeader('Cache-Control', 'max-age=3600');
            response.end(LOGIN_CSS);
            return;
          }
          if (path.startsWith('/interaction/')) {
            const started = provider;
            handleInteraction(started, request, response, path, DEV_OIDC_PATH).catch(() => {
              // Expired or unknown interaction (its cookie is gone): a page, never a stack trace.
              if (response.headersSent) return response.end();
              response.statusCode = 400;
              response.setHeader('Content-Type', 'text/html; charset=utf-8');
              response.end(
                errorPage({
                  error: 'invalid_request',
                  error_description:
                    '登录已超时，请返回台账重新登录 · the sign-in expired, start again from the ledger',
                }),
              );
            });
            return;
          }
          provider.callback()(request, response);
        },
      );
    },
    async start(serverUrl, log) {
      if (!keys) return;
      const base = (settings.publicUrl ?? serverUrl).replace(/\/$/, '');
      appOrigin = new URL(base).origin;
      const nextIssuer = `${base}${DEV_OIDC_PATH}`;
      const notices: string[] = [];
      provider = await createEmbeddedProvider(
        {
          issuer: nextIssuer,
          appOrigin,
          keys,
          claims: settings.claims,
          tokenTtlSeconds: settings.devTokenTtlSeconds,
          sessionTtlSeconds: settings.devSessionTtlSeconds,
        },
        notices,
      );
      for (const notice of notices) log?.(notice);
      issuer = nextIssuer;
    },
  };
}

/**
 * The mount's remainder is the mount point itself, spelled exactly: Express matches a mount's path with the
 * app's case-sensitive routing, @fastify/middie case-insensitively, so the original target is compared too.
 */
function isExactPath(request: IncomingMessage, mountPath: string): boolean {
  const path = (request.url ?? '').split('?')[0];
  return (path === '/' || path === '') && isMountedAt(request, mountPath);
}

function isMountedAt(
  request: IncomingMessage & { originalUrl?: string },
  mountPath: string,
): boolean {
  const target = pathnameOf(request.originalUrl ?? request.url ?? '');
  return target === mountPath || target.startsWith(`${mountPath}/`);
}

async function whoAmI(request: IncomingMessage, verify: TokenVerifier) {
  const header = request.headers['authorization'];
  const match =
    typeof header === 'string' ? /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
  if (typeof header === 'string' && !match)
    throw new TokenRejected(
      'AUTH.TOKEN_INVALID',
      'the Authorization header must be "Bearer <token>"',
    );
  return verify(match?.[1] ?? '');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify(body));
}
