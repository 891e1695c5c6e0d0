import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthConfig } from './auth.config';
import { type AuthenticatedRequest, IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import { InvalidTokenError, type Role, verifyToken } from './token';

/**
 * Global guard: every route needs a valid bearer token (401 otherwise) and one of the roles its handler names
 * (403 otherwise). A route that names no role is refused to everybody: access is granted, never assumed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AuthConfig,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) throw new UnauthorizedException('missing bearer token');
    try {
      req.principal = verifyToken(match[1], this.config.secret, Math.floor(Date.now() / 1000));
    } catch (e) {
      if (e instanceof InvalidTokenError) throw new UnauthorizedException(`invalid token: ${e.message}`);
      throw e;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(req.principal.role)) {
      throw new ForbiddenException(`role ${req.principal.role} may not call this endpoint`);
    }
    return true;
  }
}
