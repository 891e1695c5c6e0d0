/**
 * Issues an HS256 bearer token with the service's own signing key and claims: the first key of AUTH_SECRETS
 * (with its kid) or AUTH_SECRET (the dev secret when neither is set), `iss` = the first AUTH_ISSUER, `aud` =
 * AUTH_AUDIENCE, a lifetime within AUTH_MAX_TOKEN_LIFETIME (README "Access").
 *   npm run token -- support tanaka
 *   npm run token -- partner user-1 P-001 [ttlSeconds]
 */
import { authSettingsFromEnv } from '../apps/api/src/auth/auth.config';
import { type Principal, ROLES, type Role, signToken } from '../apps/api/src/auth/token';

const [role, subject, third, fourth] = process.argv.slice(2);
if (!role || !(ROLES as readonly string[]).includes(role) || !subject || (role === 'partner' && !third)) {
  process.stderr.write(
    'usage: npm run token -- <support|ops|auditor> <subject> [ttlSeconds]\n       npm run token -- partner <subject> <partnerId> [ttlSeconds]\n',
  );
  process.exit(2);
}
const settings = authSettingsFromEnv(process.env);
const principal: Principal =
  role === 'partner'
    ? { role, subject, partnerId: third! }
    : { role: role as Exclude<Role, 'partner'>, subject };
const ttl = Number((role === 'partner' ? fourth : third) ?? 8 * 3600);
if (!Number.isInteger(ttl) || ttl <= 0 || ttl > settings.maxTokenLifetimeSeconds) {
  process.stderr.write(
    `ttlSeconds: a whole number from 1 to ${settings.maxTokenLifetimeSeconds} (AUTH_MAX_TOKEN_LIFETIME)\n`,
  );
  process.exit(2);
}
if (settings.isDevSecret) process.stderr.write('note: no AUTH_SECRET(S) set; signing with the dev secret\n');
if (settings.hmacKeys.length === 0) {
  process.stderr.write(
    'no HS256 key configured (AUTH_SECRETS / AUTH_SECRET): tokens come from the identity provider\n',
  );
  process.exit(2);
}
const token = signToken(principal, settings.hmacKeys[0]!, Math.floor(Date.now() / 1000), ttl, {
  issuer: settings.issuers[0]!,
  audience: settings.audience,
});
process.stdout.write(`${token}\n`);
