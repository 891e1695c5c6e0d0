import { Inject, Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { AUTH_SETTINGS, type AuthSettings } from './auth.config';
import { type Principal, type Role, ROLES } from './token';

/** Not a token this service accepts: 401 with `WWW-Authenticate: Bearer error="invalid_token"`. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** A genuine token whose role this service does not know: authenticated, not allowed (403). */
export class UnknownRoleError extends Error {
  override readonly name = 'UnknownRoleError';
}

/** The identity provider's keys could not be fetched: not the caller's fault (503). */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';
}

/** Three base64url segments, nothing else (no padding, no `+/`, no whitespace); a few KB at most. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 8192;
const ASYMMETRIC = ['RS256', 'ES256'];

/**
 * Verifies bearer tokens with jose. Strict compact serialisation first: base64url decoders ignore the unused
 * low bits of the last character, so two strings can decode to the same signature; only the canonical
 * encoding of each segment is accepted, so one token has exactly one spelling. Then, per algorithm:
 * HS256 with the service's keys chosen by `kid` (no `kid`: the key configured without one), RS256/ES256 with
 * the JWKS of AUTH_JWKS_URL. Both require `exp`, `sub`, the configured issuer and audience, and a lifetime
 * within AUTH_MAX_TOKEN_LIFETIME; `nbf` and `iat` may not lie in the future beyond the clock tolerance.
 */
@Injectable()
export class TokenVerifier {
  private readonly hmac = new Map<string | undefined, Uint8Array>();
  private readonly jwks: JWTVerifyGetKey | undefined;

  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {
    for (const k of settings.hmacKeys) this.hmac.set(k.kid, new TextEncoder().encode(k.secret));
    this.jwks = settings.jwksUrl ? providerKeys(settings.jwksUrl) : undefined;
  }

  async verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token))
      throw new InvalidTokenError('malformed token');
    for (const segment of token.split('.')) {
      if (Buffer.from(segment, 'base64url').toString('base64url') !== segment)
        throw new InvalidTokenError('malformed token (non-canonical base64url)');
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('malformed token header');
    }
    const s = this.settings;
    const options: JWTVerifyOptions = {
      issuer: [...s.issuers],
      audience: s.audience,
      // `exp` and `sub` are required by principalOf, with the words jose would use ("claim exp: missing"); jose
      // checks only that a present `exp` is a number. Asking jose too left one of the two checks unreachable.
      clockTolerance: s.clockToleranceSeconds,
      currentDate: new Date(nowSeconds * 1000),
    };
    let payload: JWTPayload;
    try {
      if (header.alg === 'HS256') {
        const key = this.hmac.get(header.kid);
        if (!key) throw new InvalidTokenError(header.kid ? 'unknown key id' : 'key id required');
        ({ payload } = await jwtVerify(token, key, { ...options, algorithms: ['HS256'] }));
      } else if (this.jwks && typeof header.alg === 'string' && ASYMMETRIC.includes(header.alg)) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...options, algorithms: ASYMMETRIC }));
      } else {
        throw new InvalidTokenError('unsupported algorithm');
      }
    } catch (e) {
      // Our own errors (InvalidTokenError, KeySetUnavailableError) are no JOSEError: they pass through below.
      if (e instanceof errors.JWTExpired) throw new InvalidTokenError('token expired');
      if (e instanceof errors.JWTClaimValidationFailed)
        throw new InvalidTokenError(`claim ${e.claim}: ${e.reason}`);
      if (e instanceof errors.JOSEError) throw new InvalidTokenError(invalidReason(e));
      throw e;
    }
    return this.principalOf(payload, nowSeconds);
  }

  private principalOf(claims: JWTPayload, now: number): Principal {
    const { clockToleranceSeconds: leeway, maxTokenLifetimeSeconds: max } = this.settings;
    const { exp, iat, sub } = claims;
    if (typeof exp !== 'number') throw new InvalidTokenError('claim exp: missing');
    if (iat !== undefined && iat > now + leeway) throw new InvalidTokenError('claim iat: in the future');
    // With `iat` the lifetime is what the issuer granted; without it, what is left must fit the maximum.
    if (iat !== undefined ? exp - iat > max : exp - now > max + leeway)
      throw new InvalidTokenError(`token lifetime over the maximum of ${max} s`);
    if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('claim sub: missing');
    const role = claims['role'];
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new UnknownRoleError(
        `role ${JSON.stringify(role ?? null).slice(0, 40)} is not a role of this service`,
      );
    }
    if (role === 'partner') {
      const partnerId = claims['partnerId'];
      if (typeof partnerId !== 'string' || partnerId === '')
        throw new InvalidTokenError('partner token without partnerId');
      return { role, subject: sub, partnerId };
    }
    return { role: role as Exclude<Role, 'partner'>, subject: sub };
  }
}

/**
 * The identity provider's key set, fetched on demand (5 s timeout, at most one refetch per 30 s). A kid the set
 * does not hold (or holds twice) is the token's fault (401); any other failure of the set (unreachable, a timeout, not 200, not
 * JSON, not a key set) is the provider's, not the caller's: KeySetUnavailableError, 503.
 */
function providerKeys(url: URL): JWTVerifyGetKey {
  // jose's defaults, named in the comment above: a 5 s timeout, a 30 s cooldown between refetches.
  const remote = createRemoteJWKSet(url);
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (e) {
      // No key, or several keys, for the token's kid/alg: the token's (401 below).
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      throw new KeySetUnavailableError(
        `identity provider keys: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
}

/** jwtVerify's algorithm lists match the branch taken, so JOSEAlgNotAllowed cannot occur: malformed. */
function invalidReason(e: InstanceType<typeof errors.JOSEError>): string {
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (e instanceof errors.JWKSNoMatchingKey) return 'unknown key id';
  return 'malformed token';
}
