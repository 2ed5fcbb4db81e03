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

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    try {
      request.user = await this.verify(bearerToken(request.headers['authorization']));
    } catch (error) {
      if (error instanceof TokenRejected)
        throw new UnauthorizedException({ code: error.code, message: error.message });
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
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
