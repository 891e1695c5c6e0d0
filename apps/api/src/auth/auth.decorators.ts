import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal, Role } from './token';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** Liveness, metrics and the API description need no token; everything else does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * Routes the operations dashboard page calls from the browser: they also accept the HttpOnly session cookie
 * set by `POST /dashboard/session` (a random id of a server-side session of an ops principal; the role check
 * still applies).
 */
export const ACCEPTS_SESSION_COOKIE = 'auth:session-cookie';
export const SESSION_COOKIE = 'ops_session';
export const AcceptsSessionCookie = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCEPTS_SESSION_COOKIE, true);

export type AuthenticatedRequest = Request & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return req.principal;
});

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
