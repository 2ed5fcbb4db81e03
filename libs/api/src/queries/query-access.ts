/**
 * Who may read what on the read side. The auth guard puts `{sub, roles[], applicant?}` on `req.user`;
 * these checks do not rely on the guard having run: no user is a 401, a user without roles a 403.
 */
import { HttpStatus } from '@nestjs/common';
import { isStaff, type AuthUser } from '@hz/auth';
import { ApiError } from '../http/errors/error-body';

export function requireUser(request: { user?: unknown }): AuthUser {
  const user = request.user as Partial<AuthUser> | undefined;
  if (user === undefined || user === null || typeof user !== 'object') {
    throw new ApiError(
      HttpStatus.UNAUTHORIZED,
      'AUTH.UNAUTHENTICATED',
      'a bearer token is required',
    );
  }
  if (!Array.isArray(user.roles) || user.roles.length === 0) {
    throw new ApiError(HttpStatus.FORBIDDEN, 'AUTH.ROLE_REQUIRED', 'the token carries no roles');
  }
  return user as AuthUser;
}

/**
 * The applicant filter a caller may use: staff any (or none), an applicant only its own, defaulting to it.
 * `required` makes the parameter mandatory for staff (an applicant always has one).
 */
export function applicantScope(
  user: AuthUser,
  requested: string | undefined,
  required: boolean,
): string | undefined {
  if (isStaff(user)) {
    if (required && requested === undefined) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'REQUEST.INVALID', 'the query is not valid', [
        { path: 'applicant', code: 'FIELD.REQUIRED', message: 'applicant is required' },
      ]);
    }
    return requested;
  }
  if (!user.roles.includes('applicant') || user.applicant === undefined) {
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'AUTH.ROLE_REQUIRED',
      'this query needs a staff role or an applicant token',
    );
  }
  if (requested !== undefined && requested !== user.applicant) {
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'AUTH.NOT_YOUR_APPLICANT',
      'this record belongs to another applicant',
    );
  }
  return user.applicant;
}

export function requireStaff(user: AuthUser): void {
  if (!isStaff(user))
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'AUTH.ROLE_REQUIRED',
      'this query needs one of the roles: reviewer, finance, auditor, admin',
    );
}
