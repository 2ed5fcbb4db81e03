/**
 * Sign-in through the organisation's OpenID Connect provider: Authorization Code + PKCE with
 * oidc-client-ts, the provider named by the API (`GET /api/v1/auth/config`: the embedded development
 * provider at /oidc, or LEDGER_OIDC_ISSUER). Tokens stay in this tab (sessionStorage). Renewal uses the
 * refresh token the provider issues (bound to the provider's session); sign-out ends the provider session
 * (RP-initiated logout).
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { API_PREFIX } from '../api/client';
import type { Role, Session } from './session';

export interface ProviderConfig {
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
  readonly resource: string | null;
}

/** The provider the API names, or null (no provider: the developer token form is the way in). */
export async function loadProviderConfig(): Promise<ProviderConfig | null> {
  const response = await fetch(`${API_PREFIX}/auth/config`, {
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) return null;
  const body = (await response.json()) as { oidc?: ProviderConfig | null };
  return body.oidc ?? null;
}

/** Where the provider sends the browser back: this page without query or hash (registered with the provider). */
export function appUrl(): string {
  return `${window.location.origin}${window.location.pathname}`;
}

export function createUserManager(config: ProviderConfig): UserManager {
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: appUrl(),
    post_logout_redirect_uri: appUrl(),
    response_type: 'code',
    scope: config.scope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    monitorSession: false,
    loadUserInfo: false,
    // No revocation call on sign-out: the refresh token is bound to the provider session, which the
    // end-session request ends (and oidc-client-ts refuses the provider's empty revocation answer).
    revokeTokensOnSignout: false,
    ...(config.resource ? { extraQueryParams: { resource: config.resource } } : {}),
  });
}

/** The provider sent the browser back here with a code (or an error) for the flow this tab started. */
export function isSigninCallback(): boolean {
  const params = new URLSearchParams(window.location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** Leaves the provider's parameters out of the address bar (and the history). */
export function clearCallbackParameters(): void {
  if (window.location.search)
    window.history.replaceState(null, '', `${appUrl()}${window.location.hash}`);
}

/**
 * The caller as the API sees it: the provider's claims are mapped on the server (LEDGER_OIDC_ROLES_CLAIM,
 * LEDGER_OIDC_APPLICANT_CLAIM), so the dashboard asks rather than decoding them itself.
 */
export async function sessionFromUser(user: User): Promise<Session> {
  const response = await fetch(`${API_PREFIX}/auth/me`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${user.access_token}` },
  });
  const body = (await response.json()) as {
    sub?: string;
    roles?: Role[];
    applicant?: string | null;
    error?: { code?: string; message?: string };
  };
  if (!response.ok || !body.sub || !Array.isArray(body.roles)) {
    throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  }
  return {
    token: user.access_token,
    sub: body.sub,
    roles: body.roles,
    applicant: body.applicant ?? null,
    expiresAt: user.expires_at ?? null,
    provider: true,
  };
}
