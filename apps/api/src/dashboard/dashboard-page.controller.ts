import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthConfig } from '../auth/auth.config';
import { Public, SESSION_COOKIE } from '../auth/auth.decorators';
import { InvalidTokenError, verifyToken } from '../auth/token';
import { dashboardPage, signInPage } from './dashboard-page.html';

/** The session never outlives the token, and lasts at most a working day. */
const MAX_SESSION_SECONDS = 12 * 3600;
const REFRESH_SECONDS = Number(process.env['DASHBOARD_REFRESH_SECONDS'] ?? 15);

/**
 * The operations dashboard page (browser). How a browser presents the token: the operator pastes an ops token
 * into the sign-in form once; `POST /dashboard/session` checks it and sets it as an HttpOnly, SameSite=Strict
 * cookie scoped to `Path=/dashboard`, which the guard accepts on `GET /dashboard/summary` only (routes marked
 * `@AcceptsSessionCookie()`); page scripts never see the token. Any other role is refused at sign-in (403).
 * The page itself carries no data: it reads `/dashboard/summary` and `/health`.
 */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardPageController {
  constructor(private readonly auth: AuthConfig) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response): void {
    const nonce = randomBytes(16).toString('base64');
    secureHeaders(res, nonce);
    const session = this.session(readCookie(req.headers.cookie));
    res.status(200).send(session.ok ? dashboardPage(nonce, REFRESH_SECONDS) : signInPage(nonce));
  }

  @Post('session')
  signIn(@Body() body: { token?: unknown } | undefined, @Req() req: Request, @Res() res: Response): void {
    const nonce = randomBytes(16).toString('base64');
    secureHeaders(res, nonce);
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    const session = this.session(token);
    if (!session.ok) {
      res.status(session.status).send(signInPage(nonce, session.message));
      return;
    }
    const secure = req.secure || req.headers['x-forwarded-proto'] === 'https';
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/dashboard',
      secure,
      maxAge: Math.min(session.expiresInSeconds, MAX_SESSION_SECONDS) * 1000,
    });
    res.redirect(303, '/dashboard');
  }

  @Post('sign-out')
  signOut(@Res() res: Response): void {
    res.clearCookie(SESSION_COOKIE, { path: '/dashboard', httpOnly: true, sameSite: 'strict' });
    res.redirect(303, '/dashboard');
  }

  private session(
    token: string | undefined,
  ): { ok: true; expiresInSeconds: number } | { ok: false; status: 400 | 401 | 403; message: string } {
    if (!token) return { ok: false, status: 400, message: 'token: required / トークンを入力してください' };
    const now = Math.floor(Date.now() / 1000);
    try {
      const principal = verifyToken(token, this.auth.secret, now);
      if (principal.role !== 'ops')
        return {
          ok: false,
          status: 403,
          message: `role ${principal.role} may not open the operations dashboard (ops only) / ops ロールのみ利用できます`,
        };
      return { ok: true, expiresInSeconds: expiryOf(token) - now };
    } catch (e) {
      if (e instanceof InvalidTokenError)
        return { ok: false, status: 401, message: `invalid token: ${e.message} / 無効なトークンです` };
      throw e;
    }
  }
}

function expiryOf(token: string): number {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp: number;
  };
  return claims.exp;
}

function readCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** No CDN, no inline code without the per-response nonce, never framed, never cached. */
function secureHeaders(res: Response, nonce: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; ` +
      `img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
}
