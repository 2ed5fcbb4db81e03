/**
 * The embedded development identity provider: oidc-provider (ESM-only, loaded with a dynamic import),
 * mounted at /oidc on the API's own origin, with one public client (the dashboard: Authorization Code +
 * PKCE, refresh tokens bound to the sign-in session), JWT access tokens for this API (resource
 * DEV_OIDC_RESOURCE, `aud` the same) carrying the ledger's roles and the applicant's USCC in the claims
 * the API maps (LEDGER_OIDC_ROLES_CLAIM / LEDGER_OIDC_APPLICANT_CLAIM), the seeded users of dev-users.ts
 * and the pages of pages.ts. Sessions live in memory: a restart signs everyone out. See docs/decisions.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderClaimNames } from '@hz/auth';
import type { Provider } from 'oidc-provider';
import type { DevOidcKeys } from './dev-keys';
import { DEV_PASSWORD, DEV_USERS, findDevUser } from './dev-users';
import { errorPage, loginPage, logoutPage, signedOutPage } from './pages';
import { DEV_OIDC_API_SCOPE, DEV_OIDC_CLIENT_ID, DEV_OIDC_RESOURCE } from './settings';

export interface EmbeddedProviderOptions {
  /** e.g. http://127.0.0.1:3000/oidc */
  readonly issuer: string;
  /** The dashboard's origin (same as the issuer's), where it is redirected after sign-in and sign-out. */
  readonly appOrigin: string;
  readonly keys: DevOidcKeys;
  readonly claims: ProviderClaimNames;
  readonly tokenTtlSeconds: number;
  readonly sessionTtlSeconds: number;
}

interface Context {
  type: string;
  body: string;
  oidc: {
    client?: { clientId: string; grantTypeAllowed(type: string): boolean };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: Provider;
  };
}

/** What oidc-provider prints on load and construction (runtime and in-memory store notices), for the JSON log. */
export type ProviderNotices = string[];

export async function createEmbeddedProvider(
  options: EmbeddedProviderOptions,
  notices: ProviderNotices = [],
): Promise<Provider> {
  // oidc-provider writes its notices with console.warn/info; the service's log is JSON lines only, so
  // they are collected here and logged by the caller (mount.ts).
  const { warn, info } = console;
  console.warn = (...parts: unknown[]) => notices.push(parts.map(String).join(' '));
  console.info = (...parts: unknown[]) => notices.push(parts.map(String).join(' '));
  try {
    return await constructProvider(options);
  } finally {
    console.warn = warn;
    console.info = info;
  }
}

async function constructProvider(options: EmbeddedProviderOptions): Promise<Provider> {
  const { Provider } = await import('oidc-provider');
  const ttl = options.tokenTtlSeconds;
  const provider = new Provider(options.issuer, {
    clients: [
      {
        client_id: DEV_OIDC_CLIENT_ID,
        client_name: '跨境电商扶持资金台账',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.appOrigin}/`],
        post_logout_redirect_uris: [`${options.appOrigin}/`],
      },
    ],
    jwks: options.keys.privateJwks,
    cookies: { keys: options.keys.cookieKeys },
    pkce: { required: () => true },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name'] },
    async findAccount(_context: unknown, sub: string) {
      const user = findDevUser(sub);
      if (!user) return undefined;
      return { accountId: user.sub, claims: async () => ({ sub: user.sub, name: user.name }) };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => DEV_OIDC_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: DEV_OIDC_API_SCOPE,
          audience: DEV_OIDC_RESOURCE,
          accessTokenTTL: ttl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (context: Context, form: string) => {
          context.type = 'html';
          context.body = logoutPage(form);
        },
        postLogoutSuccessSource: async (context: Context) => {
          context.type = 'html';
          context.body = signedOutPage();
        },
      },
    },
    // The ledger's roles and USCC go into the API's access tokens under the claim names the API maps.
    async extraTokenClaims(_context: unknown, token: { kind?: string; accountId?: string }) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const user = findDevUser(token.accountId);
      if (!user) return undefined;
      return {
        [options.claims.roles]: [...user.roles],
        ...(user.applicant ? { [options.claims.applicant]: user.applicant } : {}),
      };
    },
    // The dashboard is this service's own first-party client: no consent screen, everything it asks for is granted.
    async loadExistingGrant(context: Context) {
      const { client, session, result } = context.oidc;
      if (!client || !session) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return context.oidc.provider.Grant.find(grantId);
      if (client.clientId !== DEV_OIDC_CLIENT_ID || !session.accountId) return undefined;
      const grant = new context.oidc.provider.Grant({
        accountId: session.accountId,
        clientId: client.clientId,
      });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(DEV_OIDC_RESOURCE, DEV_OIDC_API_SCOPE);
      await grant.save();
      return grant;
    },
    // Refresh tokens for the public client, bound to the sign-in session (expiresWithSession's default
    // without offline_access): ending the session at the provider ends silent renewal too.
    async issueRefreshToken(
      _context: unknown,
      client: { grantTypeAllowed(type: string): boolean },
    ) {
      return client.grantTypeAllowed('refresh_token');
    },
    clientBasedCORS: (_context: unknown, origin: string) => origin === options.appOrigin,
    interactions: {
      url: async (_context: unknown, interaction: { uid: string }) =>
        `${new URL(options.issuer).pathname}/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      Interaction: 600,
      Session: options.sessionTtlSeconds,
      Grant: options.sessionTtlSeconds,
      RefreshToken: options.sessionTtlSeconds,
      AuthorizationCode: 60,
    },
    async renderError(context: Context, out: Record<string, unknown>) {
      context.type = 'html';
      context.body = errorPage(out);
    },
  });
  return provider;
}

/** GET: the sign-in page of an interaction; POST .../login: checks the seeded user and resumes the flow. */
export async function handleInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  issuerPath: string,
): Promise<void> {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(path);
  if (!match) return sendHtml(response, 404, errorPage({ error: 'not_found' }));
  const details = await provider.interactionDetails(request, response);
  if (details.uid !== match[1])
    return sendHtml(
      response,
      400,
      errorPage({ error: 'invalid_request', error_description: 'interaction mismatch' }),
    );
  const action = `${issuerPath}/interaction/${details.uid}/login`;
  if (!match[2]) {
    if (request.method !== 'GET')
      return sendHtml(response, 405, errorPage({ error: 'invalid_request' }));
    return sendHtml(response, 200, loginPage({ action, failed: false }));
  }
  if (request.method !== 'POST')
    return sendHtml(response, 405, errorPage({ error: 'invalid_request' }));
  const form = new URLSearchParams(await readBody(request));
  const login = (form.get('login') ?? '').trim();
  const user = DEV_USERS.find((candidate) => candidate.sub === login);
  if (!user || form.get('password') !== DEV_PASSWORD)
    return sendHtml(response, 401, loginPage({ action, login, failed: true }));
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId: user.sub } },
    { mergeWithLastSubmission: false },
  );
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(html);
}

const MAX_FORM_BYTES = 8 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('sign-in form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
