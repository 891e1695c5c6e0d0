import { generateKeyPair, SignJWT } from 'jose';
import { authSettingsFromEnv, DEV_AUDIENCE, DEV_AUTH_SECRET, DEV_ISSUER } from './auth.config';
import { type Principal, signToken } from './token';
import { TokenVerifier, UnknownRoleError } from './token-verifier';
import {
  devVerifier,
  HOUR,
  jwt,
  NOW,
  refusedBecause,
  secret,
  support,
  supportClaims,
} from './token-verifier.test-support';

describe('token verification (jose)', () => {
  describe('issuing', () => {
    it('signToken issues exactly the token jose signs for the same header and claims', async () => {
      const ours = signToken(support, DEV_AUTH_SECRET, NOW, HOUR);
      const theirs = await new SignJWT(supportClaims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(secret(DEV_AUTH_SECRET));
      expect(ours).toBe(theirs);
    });

    it('a token of the service itself verifies to its principal', async () => {
      const partner: Principal = { role: 'partner', subject: 'u1', partnerId: 'P-001' };
      await expect(
        devVerifier().verify(signToken(partner, DEV_AUTH_SECRET, NOW, HOUR), NOW),
      ).resolves.toEqual(partner);
    });
  });

  describe('strict compact serialisation: one token, one spelling', () => {
    const valid = signToken(support, DEV_AUTH_SECRET, NOW, HOUR);
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

    it('changed padding bits of the last signature character are refused', async () => {
      const last = valid.at(-1)!;
      // 32 signature bytes use 2 of the last character's 6 bits: flipping the lowest bit keeps the bytes.
      const twin = valid.slice(0, -1) + B64URL[B64URL.indexOf(last) ^ 1]!;
      expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toEqual(
        Buffer.from(valid.split('.')[2]!, 'base64url'),
      );
      await refusedBecause(twin, /malformed/);
    });

    it('an appended "=" is refused', async () => {
      await refusedBecause(`${valid}=`, /malformed/);
    });

    it('standard base64 (+ and /) is refused', async () => {
      let token = valid;
      for (let i = 0; !/[-_]/.test(token.split('.')[2]!); i++)
        token = signToken({ role: 'support', subject: `s${i}` }, DEV_AUTH_SECRET, NOW, HOUR);
      await expect(devVerifier().verify(token, NOW)).resolves.toBeDefined();
      await refusedBecause(token.replace(/-/g, '+').replace(/_/g, '/'), /malformed/);
    });

    it('whitespace, a fourth segment and an empty signature are refused', async () => {
      await refusedBecause(` ${valid}`, /malformed/);
      await refusedBecause(`${valid}.x`, /malformed/);
      await refusedBecause(valid.slice(0, valid.lastIndexOf('.') + 1), /malformed/);
    });
  });

  describe('signature and algorithm', () => {
    it('another secret is refused', async () => {
      await refusedBecause(signToken(support, 'not-the-secret', NOW, HOUR), /signature/);
    });

    it('alg none is refused', async () => {
      const [, body] = signToken(support, DEV_AUTH_SECRET, NOW, HOUR).split('.');
      const head = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      await refusedBecause(`${head}.${body}.AAAA`, /unsupported algorithm/);
    });

    it('RS256 without a configured JWKS is refused', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({
        sub: 'x',
        role: 'support',
        iss: DEV_ISSUER,
        aud: DEV_AUDIENCE,
        exp: NOW + HOUR,
      })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
      await refusedBecause(token, /unsupported algorithm/);
    });
  });

  describe('time claims', () => {
    it('a token without exp is refused', async () => {
      await refusedBecause(await jwt({ exp: undefined }), /exp/);
    });

    it('an expired token is refused; within the 30 s leeway it still counts', async () => {
      await refusedBecause(await jwt({ iat: NOW - 2 * HOUR, exp: NOW - 31 }), /expired/);
      await expect(
        devVerifier().verify(await jwt({ iat: NOW - 2 * HOUR, exp: NOW - 20 }), NOW),
      ).resolves.toBeDefined();
    });

    it('exp − iat over the maximum lifetime (24 h by default) is refused', async () => {
      await refusedBecause(await jwt({ exp: NOW + 24 * HOUR + 1 }), /lifetime/);
      await expect(devVerifier().verify(await jwt({ exp: NOW + 24 * HOUR }), NOW)).resolves.toBeDefined();
    });

    it('exp in the year 3000 is refused', async () => {
      await refusedBecause(await jwt({ exp: 32_503_680_000 }), /lifetime/);
    });

    it('without iat, an exp further away than the maximum is refused', async () => {
      await refusedBecause(await jwt({ iat: undefined, exp: NOW + 25 * HOUR }), /lifetime/);
      await expect(
        devVerifier().verify(await jwt({ iat: undefined, exp: NOW + HOUR }), NOW),
      ).resolves.toBeDefined();
    });

    it('the maximum lifetime is configurable (AUTH_MAX_TOKEN_LIFETIME)', async () => {
      const verifier = devVerifier({ AUTH_MAX_TOKEN_LIFETIME: '90m' });
      await refusedBecause(await jwt({ exp: NOW + 2 * HOUR }), /lifetime/, verifier);
      await expect(verifier.verify(await jwt({ exp: NOW + HOUR }), NOW)).resolves.toBeDefined();
    });

    it('nbf in the future is refused beyond the leeway', async () => {
      await refusedBecause(await jwt({ nbf: NOW + 120 }), /nbf/);
      await expect(devVerifier().verify(await jwt({ nbf: NOW + 20 }), NOW)).resolves.toBeDefined();
    });

    it('iat in the future is refused beyond the leeway', async () => {
      await refusedBecause(await jwt({ iat: NOW + 120, exp: NOW + HOUR }), /iat/);
      await expect(devVerifier().verify(await jwt({ iat: NOW + 20 }), NOW)).resolves.toBeDefined();
    });
  });

  describe('issuer and audience', () => {
    it('a missing or other issuer is refused', async () => {
      await refusedBecause(await jwt({ iss: undefined }), /iss/);
      await refusedBecause(await jwt({ iss: 'someone-else' }), /iss/);
    });

    it('a missing or other audience is refused', async () => {
      await refusedBecause(await jwt({ aud: undefined }), /aud/);
      await refusedBecause(await jwt({ aud: 'another-api' }), /aud/);
    });

    it('AUTH_ISSUER may name several issuers; AUTH_AUDIENCE replaces the default', async () => {
      const verifier = devVerifier({ AUTH_ISSUER: 'idp-a,idp-b', AUTH_AUDIENCE: 'repair' });
      await expect(verifier.verify(await jwt({ iss: 'idp-b', aud: 'repair' }), NOW)).resolves.toBeDefined();
      await refusedBecause(await jwt({ aud: 'repair' }), /iss/, verifier);
    });
  });

  describe('roles and subject', () => {
    it('a genuine token with a role the service does not know is UnknownRole (403), not invalid', async () => {
      await expect(devVerifier().verify(await jwt({ role: 'admin' }), NOW)).rejects.toBeInstanceOf(
        UnknownRoleError,
      );
      await expect(devVerifier().verify(await jwt({ role: undefined }), NOW)).rejects.toBeInstanceOf(
        UnknownRoleError,
      );
    });

    it('a forged token with an unknown role is still 401 (the signature is checked first)', async () => {
      await refusedBecause(await jwt({ role: 'admin' }, {}, 'not-the-secret'), /signature/);
    });

    it('a partner token without partnerId and a token without sub are refused', async () => {
      await refusedBecause(await jwt({ role: 'partner' }), /partnerId/);
      await refusedBecause(await jwt({ sub: undefined }), /sub/);
    });
  });

  describe('key rotation (AUTH_SECRETS kid:secret,…)', () => {
    const env = { AUTH_SECRETS: 'k2026:new-secret-of-november,k2025:old-secret-of-may' };

    it('every listed key verifies the tokens carrying its kid; the first one signs', async () => {
      const settings = authSettingsFromEnv(env);
      expect(settings.hmacKeys[0]).toEqual({ kid: 'k2026', secret: 'new-secret-of-november' });
      const verifier = new TokenVerifier(settings);
      await expect(
        verifier.verify(signToken(support, settings.hmacKeys[0]!, NOW, HOUR), NOW),
      ).resolves.toEqual(support);
      await expect(
        verifier.verify(await jwt({}, { kid: 'k2025' }, 'old-secret-of-may'), NOW),
      ).resolves.toEqual(support);
    });

    it('an unknown kid, a kid with the wrong key, and no kid (no key without one) are refused', async () => {
      const verifier = devVerifier(env);
      await refusedBecause(await jwt({}, { kid: 'k2024' }, 'old-secret-of-may'), /unknown key id/, verifier);
      await refusedBecause(await jwt({}, { kid: 'k2026' }, 'old-secret-of-may'), /signature/, verifier);
      await refusedBecause(await jwt({}, {}, 'new-secret-of-november'), /key id required/, verifier);
    });

    it('AUTH_SECRET stays one key without a kid, beside AUTH_SECRETS', async () => {
      const verifier = devVerifier({ ...env, AUTH_SECRET: 'the-single-secret' });
      await expect(verifier.verify(await jwt({}, {}, 'the-single-secret'), NOW)).resolves.toEqual(support);
    });
  });

  describe('configuration', () => {
    it('names every bad variable on its own line', () => {
      expect(() =>
        authSettingsFromEnv({
          AUTH_SECRETS: 'nokid',
          AUTH_MAX_TOKEN_LIFETIME: 'forever',
          AUTH_JWKS_URL: '::',
        }),
      ).toThrow(/AUTH_SECRETS: .*\n.*AUTH_JWKS_URL: .*\n.*AUTH_MAX_TOKEN_LIFETIME/);
    });

    it('production refuses to start on the dev secret or a short secret', () => {
      expect(() => authSettingsFromEnv({ NODE_ENV: 'production' })).toThrow(/must be set in production/);
      expect(() => authSettingsFromEnv({ NODE_ENV: 'production', AUTH_SECRET: 'short' })).toThrow(/32 bytes/);
    });
  });
});
