/**
 * JWT minting and verification with jose. HS256 with a shared secret is the embedded default;
 * production points `jwksUrl` at the identity provider and verifies RS256 (or ES256) signatures.
 */
import { SignJWT, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isRole, type AuthUser, type Role } from './roles';

export interface AuthConfig {
  /** HS256 shared secret (LEDGER_JWT_SECRET). Required unless jwksUrl is set. */
  readonly secret?: string;
  /** Expected `iss` (LEDGER_JWT_ISSUER); not checked when absent. */
  readonly issuer?: string;
  /** Expected `aud` (LEDGER_JWT_AUDIENCE); not checked when absent. */
  readonly audience?: string;
  /** JWKS endpoint (LEDGER_JWKS_URL): asymmetric keys instead of the shared secret. */
  readonly jwksUrl?: string;
  /** Allowed clock skew between the issuer and us. */
  readonly clockToleranceSeconds?: number;
}

export type TokenRejectionCode = 'AUTH.TOKEN_MISSING' | 'AUTH.TOKEN_INVALID' | 'AUTH.TOKEN_EXPIRED' | 'AUTH.CLAIMS_INVALID';

/** Why a token was refused. The message is safe to send to the client (no key material, no stack). */
export class TokenRejected extends Error {
  constructor(
    readonly code: TokenRejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

export type TokenVerifier = (token: string) => Promise<AuthUser>;

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
/** A secret shorter than this is guessable offline from any token it signed. */
export const MIN_SECRET_BYTES = 32;

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const options = { issuer: config.issuer, audience: config.audience, clockTolerance: config.clockToleranceSeconds ?? 30 };
  if (config.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
    return (token) => verifyWith(token, (jwt) => jwtVerify(jwt, keys, { ...options, algorithms: ASYMMETRIC_ALGORITHMS }));
  }
  const key = secretKey(config.secret);
  // Pinning the algorithm stops a token from choosing a weaker or asymmetric-confusion algorithm.
  return (token) => verifyWith(token, (jwt) => jwtVerify(jwt, key, { ...options, algorithms: ['HS256'] }));
}

async function verifyWith(token: string, verify: (jwt: string) => Promise<{ payload: JWTPayload }>): Promise<AuthUser> {
  if (!token) throw new TokenRejected('AUTH.TOKEN_MISSING', 'a bearer token is required');
  let payload: JWTPayload;
  try {
    ({ payload } = await verify(token));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRejected('AUTH.TOKEN_EXPIRED', 'the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new TokenRejected('AUTH.TOKEN_INVALID', `the token's ${error.claim} claim is not accepted`);
    }
    throw new TokenRejected('AUTH.TOKEN_INVALID', 'the token is malformed or its signature does not verify');
  }
  return userFromClaims(payload);
}

/** Turns verified claims into the caller; refuses tokens whose claims do not make sense. */
export function userFromClaims(payload: JWTPayload): AuthUser {
  const { sub, roles, applicant } = payload as JWTPayload & { roles?: unknown; applicant?: unknown };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', 'the token has no usable `sub` claim');
  }
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', '`roles` must be a non-empty array of applicant, reviewer, finance, auditor, admin');
  }
  if (applicant !== undefined && (typeof applicant !== 'string' || !/^[0-9A-Z]{18}$/.test(applicant))) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', '`applicant` must be an 18-character USCC');
  }
  if (roles.includes('applicant') && applicant === undefined) {
    throw new TokenRejected('AUTH.CLAIMS_INVALID', 'an applicant token must name the USCC it acts for in `applicant`');
  }
  const uniqueRoles = [...new Set(roles as Role[])];
  return applicant === undefined ? { sub, roles: uniqueRoles } : { sub, roles: uniqueRoles, applicant };
}

function secretKey(secret: string | undefined): Uint8Array {
  if (!secret) throw new Error('auth: either a JWT secret or a JWKS URL must be configured');
  const key = new TextEncoder().encode(secret);
  if (key.length < MIN_SECRET_BYTES) throw new Error(`auth: the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
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
  const claims: JWTPayload = { roles: [...input.roles], ...(input.applicant ? { applicant: input.applicant } : {}) };
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(input.sub).setIssuedAt(issuedAtSeconds);
  jwt = jwt.setExpirationTime(typeof input.ttl === 'number' ? issuedAtSeconds + input.ttl : input.ttl);
  if (input.issuer) jwt = jwt.setIssuer(input.issuer);
  if (input.audience) jwt = jwt.setAudience(input.audience);
  return jwt.sign(secretKey(input.secret));
}
