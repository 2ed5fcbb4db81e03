/**
 * Object-level access: roles say what a caller may do, these checks say on whose records.
 * Refusals are HTTP 403 with a stable code; the global exception filter logs them.
 */
import { ForbiddenException } from '@nestjs/common';
import { isStaff, type AuthUser, type Role } from './roles';

export function forbidden(code: string, message: string): ForbiddenException {
  return new ForbiddenException({ code, message });
}

/** Staff may read any applicant; an applicant only the USCC its token names. */
export function assertMayRead(user: AuthUser, uscc: string | undefined): void {
  if (isStaff(user)) return;
  assertActsFor(user, uscc);
}

/** For applicant-only writes (submit, withdraw): the caller must act for exactly this USCC. */
export function assertActsFor(user: AuthUser, uscc: string | undefined): void {
  if (user.roles.includes('applicant') && user.applicant !== undefined && user.applicant === uscc)
    return;
  throw forbidden('AUTH.NOT_YOUR_APPLICANT', 'this record belongs to another applicant');
}

/**
 * The role the caller acted in, recorded in event metadata: the first of the route's roles the caller
 * holds, so a reviewer who is also admin approves "as reviewer".
 */
export function actingRole(user: AuthUser, allowed: readonly Role[]): Role {
  const role = allowed.find((candidate) => user.roles.includes(candidate));
  if (!role)
    throw forbidden(
      'AUTH.ROLE_REQUIRED',
      `this action needs one of the roles: ${allowed.join(', ')}`,
    );
  return role;
}
