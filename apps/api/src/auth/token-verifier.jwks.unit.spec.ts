// Tokens of an identity provider (RS256 / ES256 keys from its JWKS); the HS256 rules are in
// token-verifier.unit.spec.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { authSettingsFromEnv, DEV_AUDIENCE, DEV_AUTH_SECRET, DEV_ISSUER } from './auth.config';
import { signToken } from './token';
import { KeySetUnavailableError, TokenVerifier } from './token-verifier';
import {
  HOUR,
  type LocalIdentityProvider,
  NOW,
  type PrivateKey,
  refusedBecause,
  startLocalIdentityProvider,
  support,
} from './token-verifier.test-support';

describe('RS256 / ES256 from a JWKS (a local identity provider on 127.0.0.1)', () => {
  let idpServer: LocalIdentityProvider;
  let url: string;
  let rsa: PrivateKey;
  let ec: PrivateKey;
  let verifier: TokenVerifier;
  const idp = 'https://idp.example.test';
  const sign = (key: PrivateKey, alg: string, kid: string, claims: JWTPayload = {}): Promise<string> =>
    new SignJWT({
      sub: 'u1',
      role: 'partner',
      partnerId: 'P-001',
      iss: idp,
      aud: DEV_AUDIENCE,
      iat: NOW,
      exp: NOW + HOUR,
      ...claims,
    })
      .setProtectedHeader({ alg, kid })
      .sign(key);

  beforeAll(async () => {
    idpServer = await startLocalIdentityProvider({ rsa: 'rsa-1', ec: 'ec-1' });
    ({ rsa, ec, url } = idpServer);
    verifier = new TokenVerifier(
      authSettingsFromEnv({ AUTH_JWKS_URL: url, AUTH_ISSUER: `${DEV_ISSUER},${idp}` }),
    );
  });
  afterAll(() => idpServer?.close());

  const partner = { role: 'partner', subject: 'u1', partnerId: 'P-001' };

  it('accepts RS256 and ES256 tokens signed by the provider’s keys', async () => {
    await expect(verifier.verify(await sign(rsa, 'RS256', 'rsa-1'), NOW)).resolves.toEqual(partner);
    await expect(verifier.verify(await sign(ec, 'ES256', 'ec-1'), NOW)).resolves.toEqual(partner);
  });

  it('refuses a key the JWKS does not hold, and the same claims rules apply', async () => {
    const stranger = (await generateKeyPair('RS256')).privateKey;
    await refusedBecause(await sign(stranger, 'RS256', 'rsa-1'), /signature/, verifier);
    await refusedBecause(await sign(stranger, 'RS256', 'rsa-9'), /unknown key id/, verifier);
    await refusedBecause(await sign(rsa, 'RS256', 'rsa-1', { exp: NOW + 48 * HOUR }), /lifetime/, verifier);
    await refusedBecause(await sign(rsa, 'RS256', 'rsa-1', { aud: 'other' }), /aud/, verifier);
  });

  it('keeps HS256 for development beside the JWKS only when a secret is configured', async () => {
    await refusedBecause(signToken(support, DEV_AUTH_SECRET, NOW, HOUR), /key id required/, verifier);
    const both = new TokenVerifier(authSettingsFromEnv({ AUTH_JWKS_URL: url, AUTH_SECRET: DEV_AUTH_SECRET }));
    await expect(both.verify(signToken(support, DEV_AUTH_SECRET, NOW, HOUR), NOW)).resolves.toEqual(support);
  });

  it('an unreachable key set is the provider’s fault, not an invalid token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = new TokenVerifier(
      authSettingsFromEnv({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`, AUTH_ISSUER: idp }),
    );
    await expect(offline.verify(await sign(rsa, 'RS256', 'rsa-1'), NOW)).rejects.toBeInstanceOf(
      KeySetUnavailableError,
    );
  });

  it.each([
    ['answers 500', 500, '{"keys":[]}', /Expected 200 OK/],
    ['answers what is not JSON', 200, '<html>maintenance</html>', /parse/],
    ['answers JSON that is not a key set', 200, '{"keys":"none"}', /malformed/],
  ])('a provider that %s is unavailable (503), not an invalid token', async (_, status, body, why) => {
    const broken = createServer((__, res) => {
      res.statusCode = status;
      res.end(body);
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (broken.address() as AddressInfo).port;
      const verifying = new TokenVerifier(
        authSettingsFromEnv({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`, AUTH_ISSUER: idp }),
      ).verify(await sign(rsa, 'RS256', 'rsa-1'), NOW);
      await expect(verifying).rejects.toBeInstanceOf(KeySetUnavailableError);
      await expect(verifying).rejects.toThrow(why);
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
