import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens are HS256 JWTs signed with AUTH_SECRET. Dev: the service signs demo tokens at start with a dev
 * secret and prints them. Production: an identity provider (or `npm run token`) signs with the shared secret;
 * see README "Access".
 */
export type Role = 'partner' | 'support' | 'auditor' | 'ops';
export const ROLES: readonly Role[] = ['partner', 'support', 'auditor', 'ops'];

export type Principal =
  | { readonly role: 'partner'; readonly subject: string; readonly partnerId: string }
  | { readonly role: 'support' | 'auditor' | 'ops'; readonly subject: string };

interface Claims {
  sub: string;
  role: Role;
  partnerId?: string;
  exp: number;
  iat: number;
}

const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');

export function signToken(
  principal: Principal,
  secret: string,
  nowSeconds: number,
  ttlSeconds: number,
): string {
  const claims: Claims = {
    sub: principal.subject,
    role: principal.role,
    ...(principal.role === 'partner' ? { partnerId: principal.partnerId } : {}),
    iat: nowSeconds,
    exp: nowSeconds + ttlSeconds,
  };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export function verifyToken(token: string, secret: string, nowSeconds: number): Principal {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('malformed token');
  const [head, body, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidTokenError('bad signature');
  }
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed token');
  }
  if (!isRecord(header) || header.alg !== 'HS256') throw new InvalidTokenError('unsupported algorithm');
  if (!isRecord(claims)) throw new InvalidTokenError('malformed claims');
  const { sub, role, partnerId, exp } = claims;
  if (typeof exp !== 'number' || exp <= nowSeconds) throw new InvalidTokenError('token expired');
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('missing subject');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new InvalidTokenError('unknown role');
  }
  if (role === 'partner') {
    if (typeof partnerId !== 'string' || partnerId === '')
      throw new InvalidTokenError('partner token without partnerId');
    return { role, subject: sub, partnerId };
  }
  return { role: role as Exclude<Role, 'partner'>, subject: sub };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
