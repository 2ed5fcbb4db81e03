/**
 * The roles of docs/architecture.md §6. A token carries a subset of them. `adjuster` records post-close
 * adjustments and nothing else (docs/operations.md "Period close").
 */
export const ROLES = ['applicant', 'reviewer', 'finance', 'auditor', 'admin', 'adjuster'] as const;
export type Role = (typeof ROLES)[number];

/** Staff see every applicant; an applicant sees only the USCC its token acts for. */
export const STAFF_ROLES: readonly Role[] = ['reviewer', 'finance', 'auditor', 'admin', 'adjuster'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated caller, as guards put it on `req.user`. */
export interface AuthUser {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** The USCC an applicant acts for (only meaningful with the `applicant` role). */
  readonly applicant?: string;
}

export function isStaff(user: AuthUser): boolean {
  return user.roles.some((role) => STAFF_ROLES.includes(role));
}
