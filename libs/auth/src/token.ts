/**
 * JWT minting and verification with jose. Two kinds of token may be accepted side by side, told apart
 * by the algorithm in the token's header, each path pinning its own algorithms and keys:
 * - HS256 with the shared secret: the embedded default and the CLI's `token` command (scripts);
 * - RS256/ES256 from an OpenID Connect provider, checked against the provider's JWKS, its issuer and
 *   the API's audience, the roles and USCC read from configurable claims (provider-claims.ts).
 * `jwksUrl` without `oidc` keeps the earlier single-provider mode (claims `roles`/`applicant`).
 */
import { hash, webcrypto } from 'node:crypto';
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { isRole, type AuthUser, type Role } from './roles';
import { userFromProviderClaims, type ProviderClaimNames } from './provider-claims';
import { TokenRejected } from './token-rejected';

export { TokenRejected, type TokenRejectionCode } from './token-rejected';

export interface OidcTokenConfig {
  /**
   * Expected `iss`, exactly as the provider's discovery document spells it. A function when it is only
   * known once the server listens (the embedded provider); until it answers a value, provider tokens are refused.
   */
  readonly issuer: string | (() => string | undefined);
  /** Expected `aud` of the access tokens the dashboard sends (LEDGER_OIDC_AUDIENCE). */
  readonly audience: string;
  /** The provider's JWKS endpoint; when neither it nor `jwks` is given, it is read from `<issuer>/.well-known/openid-configuration`. */
  readonly jwksUrl?: string;
  /** The provider's public keys themselves (the embedded provider, whose keys live in the data dir). */
  readonly jwks?: JSONWebKeySet;
  /** Which claims carry the roles and the applicant's USCC. */
  readonly claims?: ProviderClaimNames;
}

export interface AuthConfig {
  /** HS256 shared secret (LEDGER_JWT_SECRET or the data dir's generated one). */
  readonly secret?: string;
  /** Expected `iss` of HS256 tokens, and of `jwksUrl` tokens without `oidc` (LEDGER_JWT_ISSUER); not checked when absent. */
  readonly issuer?: string;
  /** Expected `aud`, likewise (LEDGER_JWT_AUDIENCE); not checked when absent. */
  readonly audience?: string;
  /** JWKS endpoint (LEDGER_JWKS_URL) of a provider whose tokens carry `roles`/`applicant` as they are. */
  readonly jwksUrl?: string;
  /** An OpenID Connect provider whose access tokens are accepted (LEDGER_OIDC_* or the embedded provider). */
  readonly oidc?: OidcTokenConfig;
  /** Allowed clock skew between the issuer and us. */
  readonly clockToleranceSeconds?: number;
  /**
   * HS256 tokens whose verification is remembered (default 10,000; 0: none): the same bearer token on
   * every request is checked once, then found by its SHA-256 until its `exp` (VerifiedTokens below).
   */
  readonly verifiedTokensCached?: number;
  /** The clock of `exp`, `nbf` and `iat` checks and of the remembered tokens (tests pin it). */
  readonly now?: () => Date;
}

export type TokenVerifier = (token: string) => Promise<AuthUser>;

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
/** A secret shorter than this is guessable offline from any token it signed. */
export const MIN_SECRET_BYTES = 32;

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const clockTolerance = config.clockToleranceSeconds ?? 30;
  const now = config.now ?? (() => new Date());
  const options = { issuer: config.issuer, audience: config.audience, clockTolerance };
  let symmetric: TokenVerifier | undefined;
  let remembered: VerifiedTokens | undefined;
  if (config.secret !== undefined || (!config.jwksUrl && !config.oidc)) {
    const raw = secretKey(config.secret);
    // Imported once: jose would otherwise import the raw secret into WebCrypto on every verification.
    const key = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    const verified = new VerifiedTokens(config.verifiedTokensCached ?? 10_000, now);
    remembered = verified;
    // Pinning the algorithm stops a token from choosing a weaker or asymmetric-confusion algorithm.
    symmetric = (token) =>
      verifyWith(
        token,
        async (jwt) =>
          jwtVerify(jwt, await key, { ...options, currentDate: now(), algorithms: ['HS256'] }),
        userFromClaims,
        (payload, user) => verified.remember(token, payload, user),
      );
  }
  let asymmetric: TokenVerifier | undefined;
  if (config.oidc) {
    const oidc = config.oidc;
    const keys = providerKeys(oidc);
    asymmetric = (token) => {
      const issuer = typeof oidc.issuer === 'function' ? oidc.issuer() : oidc.issuer;
      if (!issuer)
        return Promise.reject(
          new TokenRejected('AUTH.TOKEN_INVALID', 'the identity provider is not ready yet'),
        );
      return verifyWith(
        token,
        (jwt) =>
          jwtVerify(jwt, keys, {
            issuer,
            audience: oidc.audience,
            clockTolerance,
            algorithms: ASYMMETRIC_ALGORITHMS,
          }),
        (payload) => userFromProviderClaims(payload, oidc.claims),
      );
    };
  } else if (config.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
    asymmetric = (token) =>
      verifyWith(
        token,
        (jwt) => jwtVerify(jwt, keys, { ...options, algorithms: ASYMMETRIC_ALGORITHMS }),
        userFromClaims,
      );
  }
  return (token) => {
    if (!token)
      return Promise.reject(new TokenRejected('AUTH.TOKEN_MISSING', 'a bearer token is required'));
    // Only HS256 tokens this verifier accepted are remembered, so a hit needs no look at the header
    // (decoding it was most of what a remembered token still cost: issue 12, "The request path").
    const known = remembered?.lookup(token);
    if (known !== undefined) return known;
    const verifier = algorithmOf(token) === 'HS256' ? symmetric : asymmetric;
    if (!verifier)
      return Promise.reject(
        new TokenRejected('AUTH.TOKEN_INVALID', 'tokens signed this way are not accepted here'),
      );
    return verifier(token);
  };
}

function algorithmOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

/** The provider's key set: given, at a JWKS URL, or at the jwks_uri its discovery document names (fetched on first use). */
function providerKeys(oidc: OidcTokenConfig): JWTVerifyGetKey {
  if (oidc.jwks) return createLocalJWKSet(oidc.jwks);
  if (oidc.jwksUrl) return createRemoteJWKSet(new URL(oidc.jwksUrl));
  let discovered: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const issuer = typeof oidc.issuer === 'function' ? oidc.issuer() : oidc.issuer;
    if (!issuer) throw new Error('no issuer yet');
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(10_000),
    });
    const metadata = (await response.json()) as { jwks_uri?: unknown };
    if (!response.ok || typeof metadata.jwks_uri !== 'string')
      throw new Error(`the discovery document of ${issuer} names no jwks_uri`);
    return createRemoteJWKSet(new URL(metadata.jwks_uri));
  };
  return async (header, token) => {
    discovered ??= discover().catch((error: unknown) => {
      discovered = undefined; // try again on the next token rather than remember a network blip
      throw error;
    });
    return (await discovered)(header, token);
  };
}

async function verifyWith(
  token: string,
  verify: (jwt: string) => Promise<{ payload: JWTPayload }>,
  toUser: (payload: JWTPayload) => AuthUser,
  verified?: (payload: JWTPayload, user: AuthUser) => void,
): Promise<AuthUser> {
  if (!token) throw new TokenRejected('AUTH.TOKEN_MISSING', 'a bearer token is required');
  let payload: JWTPayload;
  try {
    ({ payload } = await verify(token));
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw new TokenRejected('AUTH.TOKEN_EXPIRED', 'the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new TokenRejected(
        'AUTH.TOKEN_INVALID',
        `the token's ${error.claim} claim is not accepted`,
      );
    }
    throw new TokenRejected(
      'AUTH.TOKEN_INVALID',
      'the token is malformed or its signature does not verify',
    );
  }
  const user = toUser(payload);
  verified?.(payload, user);
  return user;
}

/**
 * HS256 tokens already verified (issue 12: the HMAC of the same bearer token on every request was 6-9%
 * of the service's time under load, docs/benchmarks.md). A bounded LRU keyed by the token's SHA-256
 * (the token itself is not kept), holding the caller its claims gave. Only successes are remembered,
 * and only until the token's own `exp` (without the clock tolerance, so never longer than a fresh
 * verification would accept it); a token without `exp`, or not yet valid (`nbf`), is verified every
 * time. The secret is fixed for the life of the process, so a remembered verification stays true.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(
    private readonly max: number,
    private readonly now: () => Date,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  lookup(token: string): Promise<AuthUser> | undefined {
    if (this.max <= 0) return undefined;
    const key = digestOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now().getTime() >= entry.expiresAtMs) return undefined;
    this.entries.set(key, entry); // most recently used last
    // A copy per request: nothing one request does to its caller reaches the next one's.
    const { user } = entry;
    return Promise.resolve({ ...user, roles: [...user.roles] });
  }

  remember(token: string, payload: JWTPayload, user: AuthUser): void {
    if (this.max <= 0 || typeof payload.exp !== 'number') return;
    const nowMs = this.now().getTime();
    if (typeof payload.nbf === 'number' && payload.nbf * 1000 > nowMs) return;
    const expiresAtMs = payload.exp * 1000;
    if (expiresAtMs <= nowMs) return;
    const key = digestOf(token);
    this.entries.delete(key);
    this.entries.set(key, { user: { ...user, roles: [...user.roles] }, expiresAtMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }
}

function digestOf(token: string): string {
  // Node's one-shot hash (UTF-8, as createHash().update(token)): no Hash object per request (issue 12,
  // the CPU per command; docs/benchmarks.md).
  return hash('sha256', token, 'base64');
}

/** Turns verified claims into the caller; refuses tokens whose claims do not make sense. */
export function userFromClaims(payload: JWTPayload): AuthUser {
  const { sub, roles, applicant } = payload as JWTPayload & {
    roles?: unknown;
    applicant?: unknown;
  };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', 'the token has no usable `sub` claim');
  }
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
    throw new TokenRejected(
      'AUTH.CLAIMS_INVALID',
      '`roles` must be a non-empty array of applicant, reviewer, finance, auditor, admin',
    );
  }
  if (
    applicant !== undefined &&
    (typeof applicant !== 'string' || !/^[0-9A-Z]{18}$/.test(applicant))
  ) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', '`applicant` must be an 18-character USCC');
  }
  if (roles.includes('applicant') && applicant === undefined) {
    throw new TokenRejected(
      'AUTH.CLAIMS_INVALID',
      'an applicant token must name the USCC it acts for in `applicant`',
    );
  }
  const uniqueRoles = [...new Set(roles as Role[])];
  return applicant === undefined
    ? { sub, roles: uniqueRoles }
    : { sub, roles: uniqueRoles, applicant };
}

function secretKey(secret: string | undefined): Uint8Array {
  if (!secret) throw new Error('auth: either a JWT secret or a JWKS URL must be configured');
  const key = new TextEncoder().encode(secret);
  if (key.length < MIN_SECRET_BYTES)
    throw new Error(`auth: the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return key;
}

export interface MintTokenInput {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly applicant?: string;
  readonly secret: string;
  /** Lifetime: seconds, or a jose time span such as '8h'. */
  readonly ttl: number | string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Issue time (tests pin it); defaults to now. */
  readonly issuedAt?: Date;
}

/** Signs an HS256 token with the claims the verifier expects (used by the CLI and tests). */
export async function mintToken(input: MintTokenInput): Promise<string> {
  userFromClaims({ sub: input.sub, roles: [...input.roles], applicant: input.applicant });
  const issuedAtSeconds = Math.floor((input.issuedAt ?? new Date()).getTime() / 1000);
  const claims: JWTPayload = {
    roles: [...input.roles],
    ...(input.applicant ? { applicant: input.applicant } : {}),
  };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub)
    .setIssuedAt(issuedAtSeconds);
  jwt = jwt.setExpirationTime(
    typeof input.ttl === 'number' ? issuedAtSeconds + input.ttl : input.ttl,
  );
  if (input.issuer) jwt = jwt.setIssuer(input.issuer);
  if (input.audience) jwt = jwt.setAudience(input.audience);
  return jwt.sign(secretKey(input.secret));
}
