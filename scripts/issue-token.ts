/**
 * Issues a bearer token signed with AUTH_SECRET (the dev secret when unset).
 *   npm run token -- support tanaka
 *   npm run token -- partner user-1 P-001 [ttlSeconds]
 */
import { DEV_AUTH_SECRET } from '../apps/api/src/auth/auth.config';
import { type Principal, ROLES, type Role, signToken } from '../apps/api/src/auth/token';

const [role, subject, third, fourth] = process.argv.slice(2);
if (!role || !(ROLES as readonly string[]).includes(role) || !subject || (role === 'partner' && !third)) {
  process.stderr.write('usage: npm run token -- <support|ops|auditor> <subject> [ttlSeconds]\n       npm run token -- partner <subject> <partnerId> [ttlSeconds]\n');
  process.exit(2);
}
const principal: Principal =
  role === 'partner' ? { role, subject, partnerId: third! } : { role: role as Exclude<Role, 'partner'>, subject };
const ttl = Number((role === 'partner' ? fourth : third) ?? 8 * 3600);
const secret = process.env.AUTH_SECRET ?? DEV_AUTH_SECRET;
if (!process.env.AUTH_SECRET) process.stderr.write('note: AUTH_SECRET is not set; signing with the dev secret\n');
process.stdout.write(`${signToken(principal, secret, Math.floor(Date.now() / 1000), ttl)}\n`);
