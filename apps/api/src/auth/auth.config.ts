import { Injectable } from '@nestjs/common';

export const DEV_AUTH_SECRET = 'dev-only-secret-change-me';
export const DEV_ISSUER = 'ipro-repair-dev';
export const DEV_AUDIENCE = 'ipro-repair-api';
const DAY = 24 * 3600;

/** One HS256 key; `kid` names it in the token header so several can be active while keys rotate. */
export interface HmacKey {
  readonly kid: string | undefined;
  readonly secret: string;
}

export interface AuthSettings {
  /** HS256 keys, the first one signs (`npm run token`, demo tokens); all of them verify. */
  readonly hmacKeys: readonly HmacKey[];
  /** RS256/ES256 keys of a production identity provider, fetched and cached by jose. */
  readonly jwksUrl: URL | undefined;
  /** Accepted `iss` values; the first is the one this service's own tokens carry. */
  readonly issuers: readonly string[];
  readonly audience: string;
  /** Upper bound of `exp − iat` (or of `exp − now` when a token has no `iat`). */
  readonly maxTokenLifetimeSeconds: number;
  /** Leeway for `exp`, `nbf` and `iat` against clock skew between issuer and service. */
  readonly clockToleranceSeconds: number;
  readonly isDevSecret: boolean;
}

/**
 * The token settings, parsed once at start; every bad variable gets one line in the error.
 *   AUTH_SECRETS             kid1:secret1,kid2:secret2 (several active HS256 keys; the first signs)
 *   AUTH_SECRET              one HS256 key without a kid (kept for existing set-ups)
 *   AUTH_JWKS_URL            https URL of an identity provider's JWKS (RS256 / ES256)
 *   AUTH_ISSUER              accepted issuers, comma-separated (default ipro-repair-dev)
 *   AUTH_AUDIENCE            required audience (default ipro-repair-api)
 *   AUTH_MAX_TOKEN_LIFETIME  seconds, or with a unit: 90m, 24h, 1d (default 24h)
 *   AUTH_CLOCK_TOLERANCE     seconds (default 30)
 */
export function authSettingsFromEnv(env: NodeJS.ProcessEnv): AuthSettings {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const hmacKeys: HmacKey[] = [];
  if (env.AUTH_SECRETS) {
    for (const entry of env.AUTH_SECRETS.split(',')) {
      const colon = entry.indexOf(':');
      const kid = entry.slice(0, colon).trim();
      const secret = entry.slice(colon + 1).trim();
      if (colon <= 0 || !kid || !secret) problems.push('AUTH_SECRETS: each entry must be kid:secret');
      else if (hmacKeys.some((k) => k.kid === kid)) problems.push(`AUTH_SECRETS: kid ${kid} appears twice`);
      else hmacKeys.push({ kid, secret });
    }
  }
  if (env.AUTH_SECRET) hmacKeys.push({ kid: undefined, secret: env.AUTH_SECRET });
  if (production) {
    for (const k of hmacKeys)
      if (Buffer.byteLength(k.secret) < 32)
        problems.push(`AUTH_SECRET${k.kid ? `S (${k.kid})` : ''}: at least 32 bytes in production`);
  }
  let jwksUrl: URL | undefined;
  if (env.AUTH_JWKS_URL) {
    try {
      jwksUrl = new URL(env.AUTH_JWKS_URL);
      if (production && jwksUrl.protocol !== 'https:') problems.push('AUTH_JWKS_URL: https in production');
    } catch {
      problems.push('AUTH_JWKS_URL: not a URL');
    }
  }
  const isDevSecret = hmacKeys.length === 0 && !jwksUrl;
  if (isDevSecret) {
    if (production) problems.push('AUTH_SECRET, AUTH_SECRETS or AUTH_JWKS_URL must be set in production');
    hmacKeys.push({ kid: undefined, secret: DEV_AUTH_SECRET });
  }
  const issuers = (env.AUTH_ISSUER ?? DEV_ISSUER)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (issuers.length === 0) problems.push('AUTH_ISSUER: empty');
  const audience = (env.AUTH_AUDIENCE ?? DEV_AUDIENCE).trim();
  if (!audience) problems.push('AUTH_AUDIENCE: empty');
  const maxTokenLifetimeSeconds = duration(env.AUTH_MAX_TOKEN_LIFETIME, DAY);
  if (maxTokenLifetimeSeconds === undefined)
    problems.push('AUTH_MAX_TOKEN_LIFETIME: a positive duration such as 3600, 90m, 24h or 1d');
  const clockToleranceSeconds = duration(env.AUTH_CLOCK_TOLERANCE, 30, true);
  if (clockToleranceSeconds === undefined || clockToleranceSeconds > 300)
    problems.push('AUTH_CLOCK_TOLERANCE: seconds between 0 and 300');
  if (problems.length > 0) throw new Error(`invalid auth configuration:\n  ${problems.join('\n  ')}`);
  return {
    hmacKeys,
    jwksUrl,
    issuers,
    audience,
    maxTokenLifetimeSeconds: maxTokenLifetimeSeconds!,
    clockToleranceSeconds: clockToleranceSeconds!,
    isDevSecret,
  };
}

function duration(raw: string | undefined, fallback: number, zeroAllowed = false): number | undefined {
  if (raw === undefined || raw.trim() === '') return fallback;
  const m = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: DAY }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return seconds > 0 || zeroAllowed ? seconds : undefined;
}

@Injectable()
export class AuthConfig implements AuthSettings {
  readonly hmacKeys: readonly HmacKey[];
  readonly jwksUrl: URL | undefined;
  readonly issuers: readonly string[];
  readonly audience: string;
  readonly maxTokenLifetimeSeconds: number;
  readonly clockToleranceSeconds: number;
  readonly isDevSecret: boolean;
  constructor() {
    const s = authSettingsFromEnv(process.env);
    this.hmacKeys = s.hmacKeys;
    this.jwksUrl = s.jwksUrl;
    this.issuers = s.issuers;
    this.audience = s.audience;
    this.maxTokenLifetimeSeconds = s.maxTokenLifetimeSeconds;
    this.clockToleranceSeconds = s.clockToleranceSeconds;
    this.isDevSecret = s.isDevSecret;
  }

  /** The key and claims this service signs its own tokens with (demo tokens, `npm run token`). */
  get signing(): { key: HmacKey; issuer: string; audience: string } {
    return { key: this.hmacKeys[0]!, issuer: this.issuers[0]!, audience: this.audience };
  }
}
