import { createHmac } from 'node:crypto';
import { DEV_AUDIENCE, DEV_ISSUER, type HmacKey } from './auth.config';

/**
 * Bearer tokens are JWTs (README "Access"): HS256 with the service's keys in development and for staff tokens
 * issued by `npm run token`, RS256/ES256 from a production identity provider's JWKS. Verification is jose's
 * (token-verifier.ts); this file only names the roles and issues HS256 tokens.
 */
export type Role = 'partner' | 'support' | 'auditor' | 'ops';
export const ROLES: readonly Role[] = ['partner', 'support', 'auditor', 'ops'];

export type Principal =
  | { readonly role: 'partner'; readonly subject: string; readonly partnerId: string }
  | { readonly role: 'support' | 'auditor' | 'ops'; readonly subject: string };

export interface IssueOptions {
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * Issues an HS256 JWT. Synchronous on purpose (demo tokens at start, the CLI, and test helpers that many suites
 * call inline); a unit test checks that it produces exactly the token jose's SignJWT produces for the same
 * header and claims, so only the verifying side — the one that matters — has any logic of its own.
 */
export function signToken(
  principal: Principal,
  key: string | HmacKey,
  nowSeconds: number,
  ttlSeconds: number,
  options: IssueOptions = {},
): string {
  const { kid, secret } = typeof key === 'string' ? { kid: undefined, secret: key } : key;
  const header = { alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) };
  const claims = {
    iss: options.issuer ?? DEV_ISSUER,
    aud: options.audience ?? DEV_AUDIENCE,
    sub: principal.subject,
    role: principal.role,
    ...(principal.role === 'partner' ? { partnerId: principal.partnerId } : {}),
    iat: nowSeconds,
    exp: nowSeconds + ttlSeconds,
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');
