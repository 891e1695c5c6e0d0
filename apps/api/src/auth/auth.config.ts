import { z } from 'zod';

import {
  type Environment,
  InvalidConfigurationError,
  parseVariables,
  problemLine,
  text,
  variable,
  type Variable,
} from '@app/config';

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

const SECONDS = { '': 1, s: 1, m: 60, h: 3600, d: DAY } as const;

/** Seconds, or with a unit: 90m, 24h, 1d. */
function duration(min: number, max: number, fallback: number, expected: string): Variable<number> {
  const schema = z
    .string()
    .regex(/^\d{1,9}[smhd]?$/)
    .transform((v) => Number(/^\d+/.exec(v)![0]) * SECONDS[v.replace(/^\d+/, '') as keyof typeof SECONDS])
    .pipe(z.number().min(min).max(max));
  return variable(schema, { expected, fallback });
}

/**
 * The token variables (README, "Tokens"). The key variables are secrets: an error line gives their length only.
 *   AUTH_SECRETS             kid1:secret1,kid2:secret2 (several active HS256 keys; the first signs)
 *   AUTH_SECRET              one HS256 key without a kid (kept for existing set-ups)
 *   AUTH_JWKS_URL            https URL of an identity provider's JWKS (RS256 / ES256)
 *   AUTH_ISSUER              accepted issuers, comma-separated (default ipro-repair-dev)
 *   AUTH_AUDIENCE            required audience (default ipro-repair-api)
 *   AUTH_MAX_TOKEN_LIFETIME  seconds, or with a unit: 90m, 24h, 1d (default 24h)
 *   AUTH_CLOCK_TOLERANCE     seconds (default 30)
 */
export const AUTH_VARIABLES = {
  AUTH_SECRETS: variable(
    z
      .string()
      .transform((v) => v.split(',').map((entry) => /^\s*([^:\s]+)\s*:\s*(\S.*?)\s*$/.exec(entry)))
      .refine((entries) => entries.every((m) => m !== null))
      .transform((entries) => entries.map((m) => ({ kid: m![1]!, secret: m![2]! }))),
    { expected: 'kid:secret entries separated by commas', secret: true },
  ),
  AUTH_SECRET: text(undefined, { secret: true }),
  AUTH_JWKS_URL: variable(
    z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)),
    { expected: 'an http(s) URL of a JWKS' },
  ),
  AUTH_ISSUER: variable(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string()).min(1)),
    { expected: 'comma-separated issuer names', fallback: [DEV_ISSUER] },
  ),
  AUTH_AUDIENCE: text(DEV_AUDIENCE),
  AUTH_MAX_TOKEN_LIFETIME: duration(1, 1e9, DAY, 'a positive duration such as 3600, 90m, 24h or 1d'),
  AUTH_CLOCK_TOLERANCE: duration(0, 300, 30, 'seconds between 0 and 300'),
} as const;

/**
 * The token settings from the environment's AUTH_* variables; adds one line per bad variable to `problems`.
 * `NODE_ENV=production` refuses the dev secret, keys under 32 bytes and a JWKS over plain http.
 */
export function authSettingsOf(env: Environment, problems: string[]): AuthSettings {
  const production = env['NODE_ENV']?.trim() === 'production';
  const v = parseVariables(AUTH_VARIABLES, env, problems);
  const hmacKeys: HmacKey[] = [];
  for (const key of v.AUTH_SECRETS ?? []) {
    if (hmacKeys.some((k) => k.kid === key.kid)) {
      problems.push(`AUTH_SECRETS: expected distinct kids, got kid ${JSON.stringify(key.kid)} twice`);
      break;
    }
    hmacKeys.push(key);
  }
  if (v.AUTH_SECRET !== undefined) hmacKeys.push({ kid: undefined, secret: v.AUTH_SECRET });
  if (production) {
    const short = hmacKeys.find((k) => Buffer.byteLength(k.secret) < 32);
    if (short)
      problems.push(
        `AUTH_SECRET${short.kid ? `S (${short.kid})` : ''}: expected at least 32 bytes in production, ` +
          `got ${Buffer.byteLength(short.secret)} bytes (not shown)`,
      );
  }
  const jwksUrl = v.AUTH_JWKS_URL === undefined ? undefined : new URL(v.AUTH_JWKS_URL);
  if (production && jwksUrl && jwksUrl.protocol !== 'https:')
    problems.push(problemLine('AUTH_JWKS_URL', 'an https URL in production', env['AUTH_JWKS_URL']));
  const isDevSecret = hmacKeys.length === 0 && !jwksUrl;
  if (isDevSecret) {
    if (production && !problems.some((p) => p.startsWith('AUTH_SECRET')))
      problems.push(
        'AUTH_SECRET: expected a key of at least 32 bytes, or AUTH_SECRETS or AUTH_JWKS_URL ' +
          '(one must be set in production), got nothing',
      );
    hmacKeys.push({ kid: undefined, secret: DEV_AUTH_SECRET });
  }
  return {
    hmacKeys,
    jwksUrl,
    issuers: v.AUTH_ISSUER,
    audience: v.AUTH_AUDIENCE,
    maxTokenLifetimeSeconds: v.AUTH_MAX_TOKEN_LIFETIME,
    clockToleranceSeconds: v.AUTH_CLOCK_TOLERANCE,
    isDevSecret,
  };
}

/** The token settings alone (tests, `npm run token`); throws InvalidConfigurationError naming every bad variable. */
export function authSettingsFromEnv(env: Environment): AuthSettings {
  const problems: string[] = [];
  const settings = authSettingsOf(env, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return settings;
}

/** The Nest injection token of the AuthSettings (TokenVerifier and main.ts's demo tokens inject it). */
export const AUTH_SETTINGS = Symbol('AuthSettings');

/** The key and claims this service signs its own tokens with (demo tokens, `npm run token`). */
export function signingOf(settings: AuthSettings): { key: HmacKey; issuer: string; audience: string } {
  return { key: settings.hmacKeys[0]!, issuer: settings.issuers[0]!, audience: settings.audience };
}
