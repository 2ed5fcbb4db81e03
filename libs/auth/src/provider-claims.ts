/**
 * Claims of an OpenID Connect provider's access token turned into the ledger's caller. Providers name
 * their claims differently (Keycloak `realm_access.roles`, Entra ID `roles`, a custom `hz_uscc`), so the
 * claim that carries the roles and the one that carries the applicant's USCC are configuration
 * (LEDGER_OIDC_ROLES_CLAIM, LEDGER_OIDC_APPLICANT_CLAIM; README "Configuration").
 */
import type { JWTPayload } from 'jose';
import { isRole, type AuthUser } from './roles';
import { TokenRejected } from './token-rejected';

export interface ProviderClaimNames {
  /** Claim (a dotted path reaches into objects) holding the roles: an array, or a space- or comma-separated string. */
  readonly roles: string;
  /** Claim holding the 18-character USCC an applicant acts for. */
  readonly applicant: string;
}

export const DEFAULT_PROVIDER_CLAIMS: ProviderClaimNames = {
  roles: 'roles',
  applicant: 'applicant',
};

const USCC = /^[0-9A-Z]{18}$/;

/** Reads `a.b.c` from the payload; a claim whose own name has dots (`https://x.cn/roles`) is tried whole first. */
export function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return (payload as Record<string, unknown>)[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The caller of a provider token. Provider role lists carry roles of other applications (Keycloak's
 * `offline_access`, `uma_authorization`): those are ignored; a token with none of the ledger's roles is
 * refused, as is an applicant without a well-formed USCC.
 */
export function userFromProviderClaims(
  payload: JWTPayload,
  names: ProviderClaimNames = DEFAULT_PROVIDER_CLAIMS,
): AuthUser {
  const { sub } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', 'the token has no usable `sub` claim');
  }
  const raw = claimAt(payload, names.roles);
  const listed = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  const roles = [...new Set(listed.filter(isRole))];
  if (roles.length === 0) {
    throw new TokenRejected(
      'AUTH.CLAIMS_INVALID',
      `the token's \`${names.roles}\` claim names none of the roles applicant, reviewer, finance, auditor, admin`,
    );
  }
  const applicant = claimAt(payload, names.applicant);
  if (
    applicant !== undefined &&
    applicant !== null &&
    (typeof applicant !== 'string' || !USCC.test(applicant))
  ) {
    throw new TokenRejected(
      'AUTH.CLAIMS_INVALID',
      `the token's \`${names.applicant}\` claim must be an 18-character USCC`,
    );
  }
  if (roles.includes('applicant') && typeof applicant !== 'string') {
    throw new TokenRejected(
      'AUTH.CLAIMS_INVALID',
      `an applicant token must name the USCC it acts for in \`${names.applicant}\``,
    );
  }
  return typeof applicant === 'string' ? { sub, roles, applicant } : { sub, roles };
}
