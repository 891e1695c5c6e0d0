import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { DashboardSessions } from '../dashboard/dashboard-sessions';
import {
  ACCEPTS_SESSION_COOKIE,
  type AuthenticatedRequest,
  IS_PUBLIC,
  ROLES_KEY,
  readCookie,
  SESSION_COOKIE,
} from './auth.decorators';
import type { Principal, Role } from './token';
import { InvalidTokenError, KeySetUnavailableError, TokenVerifier, UnknownRoleError } from './token-verifier';

/**
 * Global guard: every route needs a valid bearer token (401 otherwise) and one of the roles its handler names
 * (403 otherwise, also for a genuine token with a role this service does not know). A route that names no role
 * is refused to everybody: access is granted, never assumed. Every 401 says how to authenticate
 * (`WWW-Authenticate: Bearer`, RFC 6750).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly sessions: DashboardSessions,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    req.principal = await this.authenticate(req, res, targets);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(req.principal.role)) {
      throw new ForbiddenException(`role ${req.principal.role} may not call this endpoint`);
    }
    return true;
  }

  private async authenticate(
    req: AuthenticatedRequest,
    res: Response,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): Promise<Principal> {
    const header = req.headers.authorization;
    const match = /^Bearer +(\S+)$/i.exec(header ?? '');
    if (match?.[1]) {
      try {
        return await this.tokens.verify(match[1]);
      } catch (e) {
        if (e instanceof InvalidTokenError)
          throw unauthorized(res, `invalid token: ${e.message}`, 'invalid_token');
        if (e instanceof UnknownRoleError) throw new ForbiddenException(e.message);
        if (e instanceof KeySetUnavailableError)
          throw new ServiceUnavailableException({
            code: 'identity_provider_unavailable',
            message: e.message,
          });
        throw e;
      }
    }
    if (header !== undefined)
      throw unauthorized(res, 'authorization header is not a bearer token', 'invalid_request');
    // The dashboard's session cookie counts only on the routes that accept it; a bearer header always wins.
    if (this.reflector.getAllAndOverride<boolean>(ACCEPTS_SESSION_COOKIE, targets)) {
      const id = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (id !== undefined) {
        const principal = await this.sessions.principal(id);
        if (principal) return principal;
        throw unauthorized(res, 'session expired or signed out', 'invalid_token');
      }
    }
    throw unauthorized(res, 'missing bearer token');
  }
}

/**
 * RFC 6750 §3: a request without credentials gets the bare challenge; a rejected one names the error.
 * The header is set here because the error filter only adds headers, it never removes them.
 */
function unauthorized(res: Response, message: string, error?: 'invalid_token' | 'invalid_request'): Error {
  const description = message.replace(/["\\]/g, "'").slice(0, 200);
  res.setHeader(
    'WWW-Authenticate',
    error
      ? `Bearer realm="ipro-repair", error="${error}", error_description="${description}"`
      : 'Bearer realm="ipro-repair"',
  );
  return new UnauthorizedException(message);
}
