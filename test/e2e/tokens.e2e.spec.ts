import { generateKeyPair, SignJWT } from 'jose';
import {
  authSettingsFromEnv,
  DEV_AUDIENCE,
  DEV_AUTH_SECRET,
  DEV_ISSUER,
} from '../../apps/api/src/auth/auth.config';
import { signToken } from '../../apps/api/src/auth/token';
import {
  type LocalIdentityProvider,
  type PrivateKey,
  startLocalIdentityProvider,
} from '../../apps/api/src/auth/token-verifier.test-support';
import { loadReferenceData, PARTNER_A } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const IDP = 'https://idp.partner-portal.test';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The api configured as in production with an identity provider (AUTH_JWKS_URL, served here by a local HTTP
 * server on 127.0.0.1 with generated keys) beside the HS256 key of staff tokens.
 */
describe('bearer tokens over HTTP: JWKS identity provider beside HS256 (PGlite)', () => {
  let t: TestApp;
  let jwks: LocalIdentityProvider;
  let rsa: PrivateKey;
  let ec: PrivateKey;
  const partnerToken = (key: PrivateKey, alg: 'RS256' | 'ES256', kid: string, ttl = '1h'): Promise<string> =>
    new SignJWT({ role: 'partner', partnerId: PARTNER_A, iss: IDP, aud: DEV_AUDIENCE })
      .setProtectedHeader({ alg, kid })
      .setSubject('portal-user-1')
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(key);
  const get = (token: string): Promise<{ status: number; headers: Record<string, string> }> =>
    t.http
      .get('/tickets')
      .set('authorization', `Bearer ${token}`)
      .then((r) => ({ status: r.status, headers: r.headers }));

  beforeAll(async () => {
    jwks = await startLocalIdentityProvider({ rsa: 'portal-rsa', ec: 'portal-ec' }, '/jwks.json');
    ({ rsa, ec } = jwks);
    const auth = authSettingsFromEnv({
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: `${DEV_ISSUER},${IDP}`,
      AUTH_SECRET: DEV_AUTH_SECRET,
    });
    t = await startTestApp('pglite', { auth });
    await loadReferenceData(t);
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
  });

  it('RS256 and ES256 tokens of the identity provider are accepted; HS256 staff tokens still are', async () => {
    expect((await get(await partnerToken(rsa, 'RS256', 'portal-rsa'))).status).toBe(200);
    expect((await get(await partnerToken(ec, 'ES256', 'portal-ec'))).status).toBe(200);
    expect((await get(t.tokens.support)).status).toBe(200);
  });

  it('a provider token with an unknown kid, a foreign key or a 25 h lifetime is 401 invalid_token', async () => {
    const stranger = (await generateKeyPair('RS256')).privateKey;
    for (const token of [
      await partnerToken(rsa, 'RS256', 'portal-rsa-old'),
      await partnerToken(stranger, 'RS256', 'portal-rsa'),
      await partnerToken(rsa, 'RS256', 'portal-rsa', '25h'),
    ]) {
      const res = await get(token);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it('the three spellings of one HS256 token that used to verify are 401', async () => {
    let token = t.tokens.support;
    for (let i = 0; !/[-_]/.test(token.split('.')[2]!); i++)
      token = signToken(
        { role: 'support', subject: `s${i}` },
        DEV_AUTH_SECRET,
        Math.floor(Date.now() / 1000),
        600,
      );
    const twin = token.slice(0, -1) + B64URL[B64URL.indexOf(token.at(-1)!) ^ 1]!;
    for (const variant of [twin, `${token}=`, token.replace(/-/g, '+').replace(/_/g, '/')])
      expect((await get(variant)).status).toBe(401);
    expect((await get(token)).status).toBe(200);
  });

  it('a genuine token with a role the service does not know is 403', async () => {
    const admin = await new SignJWT({ role: 'admin', iss: IDP, aud: DEV_AUDIENCE })
      .setProtectedHeader({ alg: 'RS256', kid: 'portal-rsa' })
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(rsa);
    expect((await get(admin)).status).toBe(403);
  });
});
