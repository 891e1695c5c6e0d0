// The edges of token verification that the rules in token-verifier.unit.spec.ts leave open: exact boundaries
// (the clock tolerance, the lifetime without `iat`, the token length), empty claims, undecodable segments, the
// error classes' names and the default clock.
import { createHmac } from 'node:crypto';
import { DEV_AUTH_SECRET } from './auth.config';
import { InvalidTokenError, KeySetUnavailableError, UnknownRoleError } from './token-verifier';
import { devVerifier, HOUR, jwt, NOW, refusedBecause, support } from './token-verifier.test-support';

const LEEWAY = 30;
const MAX_LIFETIME = 24 * HOUR;
const b64url = (text: string): string => Buffer.from(text).toString('base64url');
/** A compact HS256 token over any header and payload text, signed with the dev secret. */
const signedRaw = (header: string, payload: string): string => {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', DEV_AUTH_SECRET).update(input).digest('base64url')}`;
};

describe('token verification at its edges', () => {
  describe('exact boundaries', () => {
    it('iat exactly the tolerance ahead is accepted, one second more is refused', async () => {
      await expect(devVerifier().verify(await jwt({ iat: NOW + LEEWAY }), NOW)).resolves.toEqual(support);
      await refusedBecause(await jwt({ iat: NOW + LEEWAY + 1 }), /claim iat: in the future/);
    });

    it('without iat, exp at most the maximum lifetime plus the tolerance away is accepted', async () => {
      const atLimit = await jwt({ iat: undefined, exp: NOW + MAX_LIFETIME + LEEWAY });
      await expect(devVerifier().verify(atLimit, NOW)).resolves.toEqual(support);
      await refusedBecause(
        await jwt({ iat: undefined, exp: NOW + MAX_LIFETIME + LEEWAY + 1 }),
        /token lifetime over the maximum of 86400 s/,
      );
    });

    it('a token of 8192 characters is read; a valid one of 8193 is refused as malformed', async () => {
      const ofLength = async (length: number): Promise<string> => {
        // Each filler byte adds 4/3 of a base64url character: some filler length gives the exact size.
        for (let filler = Math.floor((length * 3) / 4) - 300; filler < length; filler++) {
          const token = await jwt({ note: 'x'.repeat(filler) });
          if (token.length === length) return token;
        }
        throw new Error(`no filler gives a token of ${length} characters`);
      };
      await expect(devVerifier().verify(await ofLength(8192), NOW)).resolves.toEqual(support);
      await refusedBecause(await ofLength(8193), /^malformed token$/);
    });
  });

  describe('claims present but empty', () => {
    it('an empty sub is refused like a missing one', async () => {
      await refusedBecause(await jwt({ sub: '' }), /^claim sub: missing$/);
    });

    it('a partner token with an empty partnerId is refused', async () => {
      await refusedBecause(await jwt({ role: 'partner', partnerId: '' }), /partner token without partnerId/);
    });

    it('an unknown role is named in the refusal, cut to 40 characters', async () => {
      await expect(devVerifier().verify(await jwt({ role: 'admin' }), NOW)).rejects.toThrow(
        'role "admin" is not a role of this service',
      );
      await expect(devVerifier().verify(await jwt({ role: 'r'.repeat(100) }), NOW)).rejects.toThrow(
        `role "${'r'.repeat(39)} is not a role of this service`,
      );
      await expect(devVerifier().verify(await jwt({ role: undefined }), NOW)).rejects.toThrow(
        'role null is not a role of this service',
      );
    });
  });

  describe('undecodable segments', () => {
    it('a header that is not JSON is a malformed header', async () => {
      await refusedBecause(signedRaw('{alg:HS256', '{}'), /^malformed token header$/);
    });

    it('a correctly signed payload that is not a JSON object is a malformed token', async () => {
      await refusedBecause(signedRaw('{"alg":"HS256"}', 'not json'), /^malformed token$/);
      await refusedBecause(signedRaw('{"alg":"HS256"}', '[1,2]'), /^malformed token$/);
    });

    it('an algorithm given as a number is unsupported', async () => {
      await refusedBecause(signedRaw('{"alg":256}', '{}'), /^unsupported algorithm$/);
    });
  });

  it('the error classes carry their own names (logs and the error table show them)', () => {
    expect(new InvalidTokenError('x').name).toBe('InvalidTokenError');
    expect(new UnknownRoleError('x').name).toBe('UnknownRoleError');
    expect(new KeySetUnavailableError('x').name).toBe('KeySetUnavailableError');
  });

  it('without an explicit now, the verifier reads the clock in seconds', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = await jwt({ iat: now, exp: now + HOUR });
    await expect(devVerifier().verify(fresh)).resolves.toEqual(support);
    const stale = await jwt({ iat: now - 2 * HOUR, exp: now - HOUR });
    await expect(devVerifier().verify(stale)).rejects.toThrow('token expired');
  });
});
