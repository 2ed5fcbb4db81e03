/**
 * Access on the HTTP side: the route metadata the guard reads (@Roles, @Public, @CurrentUser) and the
 * object-level checks (roles say what a caller may do, these checks say on whose records).
 * Refusals are HTTP 403 with a stable code; the global exception filter logs them.
 */
import {
  ForbiddenException,
  SetMetadata,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
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

export const ROLES_KEY = 'hz:roles';
export const PUBLIC_KEY = 'hz:public';

/** The caller needs at least one of these roles. Routes without @Roles only need a valid token. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Open route (health, metrics): the guard lets it through without a token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface RequestWithUser {
  user?: AuthUser;
  headers: Record<string, string | string[] | undefined>;
}

/** Injects `req.user`; only valid behind the guard, which guarantees it is set. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => {
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    if (!request.user)
      throw new Error('CurrentUser used on a route the auth guard did not authenticate');
    return request.user;
  },
);
