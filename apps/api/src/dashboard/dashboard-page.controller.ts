import { randomBytes } from 'node:crypto';
import {
  Body,
  Controller,
  type ExecutionContext,
  Get,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, readCookie, SESSION_COOKIE } from '../auth/auth.decorators';
import type { Principal } from '../auth/token';
import {
  InvalidTokenError,
  KeySetUnavailableError,
  TokenVerifier,
  UnknownRoleError,
} from '../auth/token-verifier';
import { APP_RUNTIME, type AppRuntime } from '../infrastructure/runtime';
import { dashboardPage, signInPage } from './dashboard-page.html';
import { DashboardSessions } from './dashboard-sessions';

/** Sign-in attempts per client address per minute (`@nestjs/throttler`, configured in operations/operations.module.ts). */
// Named `default` so that the throttler's header is plain `Retry-After`; it is the only throttler.
export const SIGN_IN_THROTTLE = { name: 'default', ttl: 60_000, limit: 10 };

/** 429 with the API's error shape (a stable `code`), and `Retry-After` from the throttler. */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _: ExecutionContext,
    limit: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new HttpException(
      {
        code: 'too_many_requests',
        message: `too many sign-in attempts; retry in ${Math.ceil(limit.timeToBlockExpire || limit.timeToExpire)} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The operations dashboard page (browser). The operator pastes an ops token once; `POST /dashboard/session`
 * verifies it and opens a server-side session (dashboard-sessions.ts): the HttpOnly, SameSite=Strict cookie
 * scoped to `Path=/dashboard` holds only a random session id, never the token, and the guard accepts it on
 * `GET /dashboard/summary` only (routes marked `@AcceptsSessionCookie()`). Sign-out deletes the session.
 * Both form posts are refused when they come from another origin (login CSRF). Any role but ops is refused at
 * sign-in (403). The page itself carries no data: it reads `/dashboard/summary` and `/health`.
 */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardPageController {
  private readonly refreshSeconds: number;

  constructor(
    private readonly tokens: TokenVerifier,
    private readonly sessions: DashboardSessions,
    @Inject(APP_RUNTIME) runtime: AppRuntime,
  ) {
    this.refreshSeconds = runtime.dashboardRefreshSeconds ?? 15;
  }

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const nonce = pageHeaders(res);
    const principal = await this.sessions.principal(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.status(200).send(principal ? dashboardPage(nonce, this.refreshSeconds) : signInPage(nonce));
  }

  @Post('session')
  @UseGuards(SignInThrottlerGuard)
  async signIn(
    @Body() body: { token?: unknown } | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const nonce = pageHeaders(res);
    if (!sameOrigin(req)) {
      res
        .status(403)
        .send(signInPage(nonce, 'cross-origin sign-in refused / 他のサイトからのサインインは受け付けません'));
      return;
    }
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    const checked = await this.check(token);
    if (!checked.ok) {
      if (checked.status === 401)
        res.setHeader('WWW-Authenticate', 'Bearer realm="ipro-repair", error="invalid_token"');
      res.status(checked.status).send(signInPage(nonce, checked.message));
      return;
    }
    // The old session of this browser, if any, ends here (no fixation on a pre-set id).
    await this.sessions.close(readCookie(req.headers.cookie, SESSION_COOKIE));
    const session = await this.sessions.open(checked.principal, checked.expiresAt);
    res.cookie(SESSION_COOKIE, session.id, { ...cookieOptions(req), maxAge: session.maxAgeSeconds * 1000 });
    res.redirect(303, '/dashboard');
  }

  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!sameOrigin(req)) {
      res.status(403).send(signInPage(pageHeaders(res), 'cross-origin sign-out refused'));
      return;
    }
    await this.sessions.close(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/dashboard');
  }

  private async check(
    token: string,
  ): Promise<
    | { ok: true; principal: Principal; expiresAt: number }
    | { ok: false; status: 400 | 401 | 403 | 503; message: string }
  > {
    if (!token) return { ok: false, status: 400, message: 'token: required / トークンを入力してください' };
    try {
      const principal = await this.tokens.verify(token);
      if (principal.role !== 'ops')
        return {
          ok: false,
          status: 403,
          message: `role ${principal.role} may not open the operations dashboard (ops only) / ops ロールのみ利用できます`,
        };
      return { ok: true, principal, expiresAt: expiryOf(token) };
    } catch (e) {
      if (e instanceof InvalidTokenError)
        return { ok: false, status: 401, message: `invalid token: ${e.message} / 無効なトークンです` };
      if (e instanceof UnknownRoleError) return { ok: false, status: 403, message: e.message };
      if (e instanceof KeySetUnavailableError) return { ok: false, status: 503, message: e.message };
      throw e;
    }
  }
}

/** `exp` of a token the verifier has just accepted (so it is well-formed and has one). */
function expiryOf(token: string): number {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp: number;
  };
  return claims.exp;
}

function cookieOptions(req: Request): { httpOnly: true; sameSite: 'strict'; path: string; secure: boolean } {
  const secure = req.secure || req.headers['x-forwarded-proto'] === 'https';
  return { httpOnly: true, sameSite: 'strict', path: '/dashboard', secure };
}

/**
 * CSRF check of the two form posts. Browsers send `Origin` on every cross-origin POST, and `Sec-Fetch-Site`
 * (which pages cannot forge): the origin must name this host. `Origin: null` (privacy-sensitive contexts)
 * passes only with `Sec-Fetch-Site: same-origin`. A request with neither header comes from a non-browser
 * client, which cannot be a forged cross-site form post, so it passes.
 */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  if (origin === undefined) return true;
  if (origin === 'null') return site === 'same-origin';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * helmet (configure-app.ts) sets the common headers; the page adds its own CSP: no CDN, no inline code without
 * the per-response nonce, forms post only to this origin, never framed, never cached.
 */
function pageHeaders(res: Response): string {
  const nonce = randomBytes(16).toString('base64');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // Not helmet's no-referrer: with it browsers send `Origin: null` on the page's own form posts.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; ` +
      `img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  return nonce;
}
