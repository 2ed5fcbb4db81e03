/**
 * The signed-in user: a bearer token pasted on the sign-in page, kept in sessionStorage (gone when the
 * tab closes). The payload is decoded here only to hide what the user may not do; the signature is
 * not checked in the browser and the API enforces every rule on its own.
 */

export type Role = 'applicant' | 'reviewer' | 'finance' | 'auditor' | 'admin' | 'adjuster';
const KNOWN_ROLES: readonly Role[] = [
  'applicant',
  'reviewer',
  'finance',
  'auditor',
  'admin',
  'adjuster',
];
const STORAGE_KEY = 'hz-ledger.token';

export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly roles: readonly Role[];
  /** The USCC an applicant acts for. */
  readonly applicant: string | null;
  /** Expiry in seconds since the epoch, when the token has one. */
  readonly expiresAt: number | null;
  /** Signed in through the identity provider (renewable, ended at the provider), not a pasted token. */
  readonly provider?: boolean;
}

export type DecodeResult =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly reason: 'malformed' | 'expired' | 'no-roles' };

function base64UrlDecode(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function decodeToken(raw: string, nowSeconds: number): DecodeResult {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const segments = token.split('.');
  if (segments.length !== 3 || !segments[1]) return { ok: false, reason: 'malformed' };
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlDecode(segments[1]));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'malformed' };
  const claims = payload as {
    sub?: unknown;
    roles?: unknown;
    role?: unknown;
    applicant?: unknown;
    exp?: unknown;
  };
  const listed = Array.isArray(claims.roles)
    ? claims.roles
    : typeof claims.role === 'string'
      ? [claims.role]
      : [];
  const roles = listed.filter((role): role is Role => KNOWN_ROLES.includes(role as Role));
  if (roles.length === 0) return { ok: false, reason: 'no-roles' };
  const expiresAt = typeof claims.exp === 'number' ? claims.exp : null;
  if (expiresAt !== null && expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    session: {
      token,
      sub: typeof claims.sub === 'string' ? claims.sub : '?',
      roles,
      applicant: typeof claims.applicant === 'string' ? claims.applicant : null,
      expiresAt,
    },
  };
}

export function loadSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) return null;
  const result = decodeToken(stored, Math.floor(Date.now() / 1000));
  if (!result.ok) {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
  return result.session;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, session.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

const STAFF: readonly Role[] = ['reviewer', 'finance', 'auditor', 'admin', 'adjuster'];

/** Where a user lands after sign-in: the page of their main task (App.tsx's NAV lists what each role may open). */
export function landingHash(session: Session): string {
  if (session.roles.includes('reviewer')) return '#/queue';
  if (session.roles.includes('finance')) return '#/finance';
  if (session.roles.some((role) => STAFF.includes(role))) return '#/overview';
  return session.applicant ? `#/applicant/${encodeURIComponent(session.applicant)}` : '#/applicant';
}

/** What the UI offers; mirrors the contract's "who" column (docs/architecture.md §6). */
export const can = {
  readFiscal: (session: Session): boolean => session.roles.some((role) => STAFF.includes(role)),
  readQueue: (session: Session): boolean => session.roles.some((role) => STAFF.includes(role)),
  review: (session: Session): boolean => session.roles.includes('reviewer'),
  disburse: (session: Session): boolean => session.roles.includes('finance'),
  /** The finance workbook as a job: the audit routes' role (docs/operations.md "Jobs"). */
  export: (session: Session): boolean => session.roles.includes('auditor'),
  searchApplicants: (session: Session): boolean =>
    session.roles.some((role) => STAFF.includes(role)),
  readApplicant: (session: Session, uscc: string): boolean =>
    session.roles.some((role) => STAFF.includes(role)) ||
    (session.roles.includes('applicant') && session.applicant === uscc),
};
