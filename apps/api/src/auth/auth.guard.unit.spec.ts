import {
  type ExecutionContext,
  ForbiddenException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { DashboardSessions } from '../dashboard/dashboard-sessions';
import { authSettingsFromEnv, DEV_AUTH_SECRET } from './auth.config';
import {
  AcceptsSessionCookie,
  type AuthenticatedRequest,
  Public,
  readCookie,
  Roles,
  SESSION_COOKIE,
} from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { type Principal, signToken } from './token';
import { InvalidTokenError, KeySetUnavailableError, TokenVerifier } from './token-verifier';

/** Routes as the guard sees them: metadata from the real decorators. */
class Routes {
  @Roles('support', 'ops') staffRoute(): void {}
  @Roles('partner') partnerRoute(): void {}
  @Public() publicRoute(): void {}
  unmarkedRoute(): void {}
  @Roles('ops') @AcceptsSessionCookie() dashboardRoute(): void {}
}
@Public()
class PublicController {
  anyRoute(): void {}
}

// The guard verifies at the current time: only Date is pinned, timers and microtasks stay real.
const NOW = 1_900_000_000;
beforeAll(() => {
  jest.useFakeTimers({
    now: NOW * 1000,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
});
afterAll(() => jest.useRealTimers());
const token = (p: Principal): string => signToken(p, DEV_AUTH_SECRET, NOW, 3600);
const support: Principal = { role: 'support', subject: 'tanaka' };
const partner: Principal = { role: 'partner', subject: 'u1', partnerId: 'P-001' };
const ops: Principal = { role: 'ops', subject: 'sato' };
const LIVE_SESSION = 's'.repeat(43);

/** The dashboard's sessions with one live ops session; any other id is unknown or expired. */
const sessions = {
  principal: (id: string | undefined): Promise<Principal | undefined> =>
    Promise.resolve(id === LIVE_SESSION ? ops : undefined),
} as unknown as DashboardSessions;

interface Outcome {
  readonly request: AuthenticatedRequest;
  readonly headers: Record<string, string>;
  readonly result: Promise<boolean>;
}

function call(
  route: keyof Routes | 'anyRoute',
  headers: Record<string, string> = {},
  verifier = new TokenVerifier(authSettingsFromEnv({})),
): Outcome {
  const request = { headers } as AuthenticatedRequest;
  const responseHeaders: Record<string, string> = {};
  const response = { setHeader: (k: string, v: string) => (responseHeaders[k] = v) };
  const target = route === 'anyRoute' ? PublicController : Routes;
  const ctx = {
    getHandler: () => (target.prototype as unknown as Record<string, unknown>)[route],
    getClass: () => target,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  const result = new AuthGuard(new Reflector(), verifier, sessions).canActivate(ctx);
  return { request, headers: responseHeaders, result };
}

const bearer = (p: Principal): Record<string, string> => ({ authorization: `Bearer ${token(p)}` });

describe('auth guard (auth.guard.ts)', () => {
  it('lets a named role through and records the principal on the request', async () => {
    const { request, result } = call('staffRoute', bearer(support));
    await expect(result).resolves.toBe(true);
    expect(request.principal).toStrictEqual({ role: 'support', subject: 'tanaka' });
  });

  it('refuses a role the route does not name with a 403', async () => {
    const { result } = call('staffRoute', bearer(partner));
    await expect(result).rejects.toBeInstanceOf(ForbiddenException);
    await expect(result).rejects.toThrow('role partner may not call this endpoint');
  });

  it('refuses everybody on a route that names no role', async () => {
    await expect(call('unmarkedRoute', bearer(ops)).result).rejects.toThrow(
      'role ops may not call this endpoint',
    );
  });

  it('lets anybody call a public route, without a token', async () => {
    const { request, result } = call('publicRoute');
    await expect(result).resolves.toBe(true);
    expect(request.principal).toBeUndefined();
  });

  it('a controller marked public opens all its routes', async () => {
    await expect(call('anyRoute').result).resolves.toBe(true);
  });

  it('accepts the scheme name in any case and several spaces after it', async () => {
    const { result } = call('partnerRoute', { authorization: `bEaReR   ${token(partner)}` });
    await expect(result).resolves.toBe(true);
  });

  describe('401 with a WWW-Authenticate challenge (RFC 6750)', () => {
    it('no credentials: the bare challenge', async () => {
      const { headers, result } = call('staffRoute');
      await expect(result).rejects.toBeInstanceOf(UnauthorizedException);
      await expect(result).rejects.toThrow('missing bearer token');
      expect(headers).toStrictEqual({ 'WWW-Authenticate': 'Bearer realm="ipro-repair"' });
    });

    it('another scheme: invalid_request', async () => {
      const { headers, result } = call('staffRoute', { authorization: 'Basic dGFuYWthOnB3' });
      await expect(result).rejects.toThrow('authorization header is not a bearer token');
      expect(headers).toStrictEqual({
        'WWW-Authenticate':
          'Bearer realm="ipro-repair", error="invalid_request", error_description="authorization header is not a bearer token"',
      });
    });

    it.each([
      ['a bearer header without a token', 'Bearer '],
      ['a token followed by more text', `Bearer ${'a.b.c'} extra`],
      ['text before the scheme', `x Bearer ${'a.b.c'}`],
      ['an empty header', ''],
    ])('%s is not a bearer token', async (_, authorization) => {
      await expect(call('staffRoute', { authorization }).result).rejects.toThrow(
        'authorization header is not a bearer token',
      );
    });

    it('a token the verifier refuses: invalid_token with the reason', async () => {
      const expired = signToken(support, DEV_AUTH_SECRET, NOW - 7200, 3600);
      const { headers, result } = call('staffRoute', { authorization: `Bearer ${expired}` });
      await expect(result).rejects.toBeInstanceOf(UnauthorizedException);
      await expect(result).rejects.toThrow('invalid token: token expired');
      expect(headers).toStrictEqual({
        'WWW-Authenticate':
          'Bearer realm="ipro-repair", error="invalid_token", error_description="invalid token: token expired"',
      });
    });

    it('quotes and backslashes in the reason cannot break out of the header value', async () => {
      const quoting = {
        verify: () => Promise.reject(new InvalidTokenError('a "b" \\c')),
      } as unknown as TokenVerifier;
      const { headers, result } = call('staffRoute', { authorization: 'Bearer a.b.c' }, quoting);
      await expect(result).rejects.toThrow('invalid token: a "b" \\c');
      expect(headers['WWW-Authenticate']).toBe(
        `Bearer realm="ipro-repair", error="invalid_token", error_description="invalid token: a 'b' 'c"`,
      );
    });

    it('the description in the header is cut to 200 characters', async () => {
      const long = {
        verify: () => Promise.reject(new InvalidTokenError('r'.repeat(300))),
      } as unknown as TokenVerifier;
      const { headers, result } = call('staffRoute', { authorization: 'Bearer a.b.c' }, long);
      await expect(result).rejects.toThrow(`invalid token: ${'r'.repeat(300)}`);
      expect(headers['WWW-Authenticate']).toBe(
        `Bearer realm="ipro-repair", error="invalid_token", error_description="invalid token: ${'r'.repeat(185)}"`,
      );
    });
  });

  it('a genuine token with a role this service does not know is a 403', async () => {
    const unknownRole = signToken(
      { role: 'janitor', subject: 'x' } as unknown as Principal,
      DEV_AUTH_SECRET,
      NOW,
      60,
    );
    const { headers, result } = call('staffRoute', { authorization: `Bearer ${unknownRole}` });
    await expect(result).rejects.toBeInstanceOf(ForbiddenException);
    await expect(result).rejects.toThrow('role "janitor" is not a role of this service');
    expect(headers).toStrictEqual({});
  });

  it('identity provider keys out of reach are a 503 with a code', async () => {
    const down = {
      verify: () => Promise.reject(new KeySetUnavailableError('identity provider keys timed out')),
    } as unknown as TokenVerifier;
    const { result } = call('staffRoute', { authorization: 'Bearer a.b.c' }, down);
    await expect(result).rejects.toBeInstanceOf(ServiceUnavailableException);
    const error = (await result.catch((e: unknown) => e)) as ServiceUnavailableException;
    expect(error.getResponse()).toStrictEqual({
      code: 'identity_provider_unavailable',
      message: 'identity provider keys timed out',
    });
  });

  it('any other verifier failure is passed on as it is', async () => {
    const failure = new RangeError('bug in the verifier');
    const broken = { verify: () => Promise.reject(failure) } as unknown as TokenVerifier;
    await expect(call('staffRoute', { authorization: 'Bearer a.b.c' }, broken).result).rejects.toBe(failure);
  });

  describe('the dashboard session cookie', () => {
    const cookie = (id: string): Record<string, string> => ({
      cookie: `theme=dark; ${SESSION_COOKIE}=${id}`,
    });

    it('authenticates a route that accepts it', async () => {
      const { request, result } = call('dashboardRoute', cookie(LIVE_SESSION));
      await expect(result).resolves.toBe(true);
      expect(request.principal).toStrictEqual({ role: 'ops', subject: 'sato' });
    });

    it('counts for nothing on a route that does not accept it', async () => {
      const { headers, result } = call('staffRoute', cookie(LIVE_SESSION));
      await expect(result).rejects.toThrow('missing bearer token');
      expect(headers).toStrictEqual({ 'WWW-Authenticate': 'Bearer realm="ipro-repair"' });
    });

    it('an expired or signed-out session is invalid_token', async () => {
      const { headers, result } = call('dashboardRoute', cookie('t'.repeat(43)));
      await expect(result).rejects.toThrow('session expired or signed out');
      expect(headers).toStrictEqual({
        'WWW-Authenticate':
          'Bearer realm="ipro-repair", error="invalid_token", error_description="session expired or signed out"',
      });
    });

    it('without the cookie the route wants a bearer token', async () => {
      await expect(call('dashboardRoute', { cookie: 'theme=dark' }).result).rejects.toThrow(
        'missing bearer token',
      );
    });

    it('a bearer header wins over the cookie', async () => {
      const { request, result } = call('dashboardRoute', { ...cookie(LIVE_SESSION), ...bearer(support) });
      await expect(result).rejects.toThrow('role support may not call this endpoint');
      expect(request.principal).toStrictEqual(support);
    });
  });
});

describe('readCookie', () => {
  it.each([
    ['a=1; ops_session=abc; b=2', 'abc'],
    ['ops_session=abc', 'abc'],
    ['  ops_session = abc  ;x=y', 'abc'],
    ['ops_session=a=b', 'a=b'],
    ['ops_session=', ''],
  ])('finds the value in %j', (header, value) => {
    expect(readCookie(header, 'ops_session')).toBe(value);
  });

  it.each([
    ['no such cookie', 'a=1; b=2'],
    ['a longer name', 'xops_session=abc'],
    ['a name without a value', 'ops_session'],
    ['a part with no "=" that starts with the name', 'ops_sessionX; a=1'],
    ['an empty name', '=ops_session'],
    ['no header', undefined],
  ])('%s: undefined', (_, header) => {
    expect(readCookie(header, 'ops_session')).toBeUndefined();
  });
});
