import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { actingRole, PUBLIC_KEY, ROLES_KEY, type RequestWithUser } from './access';
import { TokenRejected, type TokenVerifier } from './token';
import type { Role } from './roles';

export const TOKEN_VERIFIER = Symbol.for('hz.TokenVerifier');

interface RouteAccess {
  readonly isPublic: boolean;
  readonly roles: readonly Role[] | undefined;
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and the roles of
 * @Roles(...) when present. 401 = we do not know who you are; 403 = we know, and the answer is no.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  /**
   * @Public() and @Roles() of each route, read once: decorators are applied when the classes are
   * defined and never change afterwards, and the two metadata lookups on every request were the
   * guard's own largest cost (issue 12, "The request path"). Keyed by handler, then class.
   */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  private accessOf(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.routes.get(handler);
    if (byClass === undefined) {
      byClass = new WeakMap();
      this.routes.set(handler, byClass);
    }
    let access = byClass.get(controller);
    if (access === undefined) {
      const targets = [handler, controller];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      byClass.set(controller, access);
    }
    return access;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const { isPublic, roles } = this.accessOf(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    try {
      request.user = await this.verify(bearerToken(request.headers['authorization']));
    } catch (error) {
      if (error instanceof TokenRejected)
        throw new UnauthorizedException({ code: error.code, message: error.message });
      throw error;
    }
    if (roles && roles.length > 0) actingRole(request.user, roles);
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string {
  if (typeof header !== 'string') return '';
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  if (!match?.[1])
    throw new TokenRejected(
      'AUTH.TOKEN_INVALID',
      'the Authorization header must be "Bearer <token>"',
    );
  return match[1];
}
