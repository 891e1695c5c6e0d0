import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthConfig } from './auth.config';
import {
  ACCEPTS_SESSION_COOKIE,
  type AuthenticatedRequest,
  IS_PUBLIC,
  ROLES_KEY,
  SESSION_COOKIE,
} from './auth.decorators';
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
    // A bearer header always wins; the dashboard's session cookie counts only on the routes that accept it.
    const token =
      match?.[1] ??
      (this.reflector.getAllAndOverride<boolean>(ACCEPTS_SESSION_COOKIE, targets)
        ? cookie(req.headers.cookie, SESSION_COOKIE)
        : undefined);
    if (!token) throw new UnauthorizedException('missing bearer token');
    try {
      req.principal = verifyToken(token, this.config.secret, Math.floor(Date.now() / 1000));
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

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
