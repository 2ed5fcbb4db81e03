import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser, Role } from './roles';

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
