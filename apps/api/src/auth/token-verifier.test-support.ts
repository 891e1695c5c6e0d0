// Shared by the token verifier's specs (and tokens.e2e.spec.ts): a fixed clock, HS256 tokens of the development
// configuration, and a local identity provider serving its JWKS.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { authSettingsFromEnv, DEV_AUDIENCE, DEV_AUTH_SECRET, DEV_ISSUER } from './auth.config';
import type { Principal } from './token';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

export const NOW = 1_900_000_000;
export const HOUR = 3600;
export const support: Principal = { role: 'support', subject: 'tanaka' };
export const devVerifier = (env: NodeJS.ProcessEnv = {}): TokenVerifier =>
  new TokenVerifier(authSettingsFromEnv(env));
export const secret = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The claims of a valid support token of the dev configuration, issued at NOW for an hour. */
export const supportClaims = {
  iss: DEV_ISSUER,
  aud: DEV_AUDIENCE,
  sub: 'tanaka',
  role: 'support',
  iat: NOW,
  exp: NOW + HOUR,
};

/** A token with exactly these claims (defaults: a valid support token of the dev configuration). */
export async function jwt(
  claims: JWTPayload & Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: string = DEV_AUTH_SECRET,
): Promise<string> {
  const all = Object.fromEntries(
    Object.entries({ ...supportClaims, ...claims }).filter(([, v]) => v !== undefined),
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

export type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A local identity provider: an RS256 and an ES256 signing key, their public JWKS served on 127.0.0.1. */
export interface LocalIdentityProvider {
  readonly rsa: PrivateKey;
  readonly ec: PrivateKey;
  /** Where the JWKS is served (any path answers the same document). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startLocalIdentityProvider(
  kids: { readonly rsa: string; readonly ec: string },
  path = '/.well-known/jwks.json',
): Promise<LocalIdentityProvider> {
  const r = await generateKeyPair('RS256');
  const e = await generateKeyPair('ES256');
  const keys = [
    { ...(await exportJWK(r.publicKey)), kid: kids.rsa, alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(e.publicKey)), kid: kids.ec, alg: 'ES256', use: 'sig' },
  ];
  const server = createServer((_, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    rsa: r.privateKey,
    ec: e.privateKey,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
