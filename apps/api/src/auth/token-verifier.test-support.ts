// Shared by the token verifier's specs: a fixed clock and HS256 tokens of the development configuration.
import type { JWTPayload } from 'jose';
import { SignJWT } from 'jose';
import { authSettingsFromEnv, DEV_AUDIENCE, DEV_AUTH_SECRET, DEV_ISSUER } from './auth.config';
import type { Principal } from './token';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

export const NOW = 1_900_000_000;
export const HOUR = 3600;
export const support: Principal = { role: 'support', subject: 'tanaka' };
export const devVerifier = (env: NodeJS.ProcessEnv = {}): TokenVerifier =>
  new TokenVerifier(authSettingsFromEnv(env));
export const secret = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A token with exactly these claims (defaults: a valid support token of the dev configuration). */
export async function jwt(
  claims: JWTPayload & Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: string = DEV_AUTH_SECRET,
): Promise<string> {
  const payload = {
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    sub: 'tanaka',
    role: 'support',
    iat: NOW,
    exp: NOW + HOUR,
  };
  const all = Object.fromEntries(
    Object.entries({ ...payload, ...claims }).filter(([, v]) => v !== undefined),
  );
  return new SignJWT(all).setProtectedHeader({ alg: 'HS256', ...header }).sign(secret(key));
}

export const refusedBecause = async (
  token: string,
  reason: RegExp,
  verifier = devVerifier(),
): Promise<void> => {
  const attempt = verifier.verify(token, NOW);
  await expect(attempt).rejects.toBeInstanceOf(InvalidTokenError);
  await expect(attempt).rejects.toThrow(reason);
};
