import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_AUTH_SECRET, DEV_ISSUER } from '../../apps/api/src/auth/auth.config';
import { type Role, signToken } from '../../apps/api/src/auth/token';
import { sampleCatalog } from '@app/domain';
import { daysAgo } from '../support/dates';
import { PARTNER_A, PARTNER_B, UNITS } from '../support/fixtures';
import { type Route, routeTable } from '../support/route-table';
import { storedEventCount, type TestApp } from '../support/test-app';
import { startWithTicketOfPartnerA } from './ticket-client';

type Caller =
  | { readonly kind: 'role'; readonly role: Role; readonly partner?: 'own' | 'other' }
  | { readonly kind: 'no token' | 'bad token' | 'unknown role' | 'session id as bearer' | 'session cookie' };

const CALLERS: Readonly<Record<string, Caller>> = {
  'partner (own data)': { kind: 'role', role: 'partner', partner: 'own' },
  'partner (other partner)': { kind: 'role', role: 'partner', partner: 'other' },
  support: { kind: 'role', role: 'support' },
  ops: { kind: 'role', role: 'ops' },
  auditor: { kind: 'role', role: 'auditor' },
  'no token': { kind: 'no token' },
  'bad token': { kind: 'bad token' },
  'unknown role': { kind: 'unknown role' },
  'session id as bearer': { kind: 'session id as bearer' },
  'session cookie': { kind: 'session cookie' },
};

/** What a refused or accepted request must answer, derived from the route's metadata only. */
type Expectation =
  | { status: number; challenge?: 'bare' | 'invalid_token' }
  | 'public'
  | 'refused_input'
  | 'not_found_valid_input';

/**
 * The rule the guard and the read handlers implement, written once:
 * public → answered for everybody; no credentials → 401; a rejected token (or a session id offered as a
 * token) → 401 invalid_token; a genuine token with an unknown role → 403; a role the route does not name →
 * 403; the session cookie counts on cookie routes for ops only. An allowed GET answers 200, or 404 for a
 * partner asking about another partner's ticket or unit (exactly like a missing one); an allowed POST with a
 * body no command accepts is refused as input (400) and stores nothing — except a partner's command on another
 * partner's ticket, which is sent with a valid body (built from the OpenAPI schema) and must be 404.
 */
function expected(route: Route, caller: Caller, ownedParams: ReadonlySet<string>): Expectation {
  if (route.isPublic) return 'public';
  switch (caller.kind) {
    case 'no token':
      return { status: 401, challenge: 'bare' };
    case 'bad token':
    case 'session id as bearer':
      return { status: 401, challenge: 'invalid_token' };
    case 'unknown role':
      return { status: 403 };
    case 'session cookie':
      if (!route.acceptsSessionCookie) return { status: 401, challenge: 'bare' };
      return route.roles.includes('ops') ? allowed(route, false) : { status: 403 };
    case 'role':
      if (!route.roles.includes(caller.role)) return { status: 403 };
      return allowed(route, caller.partner === 'other' && route.params.some((p) => ownedParams.has(p)));
  }
}

function allowed(route: Route, othersData: boolean): Expectation {
  if (route.method !== 'GET') return othersData ? 'not_found_valid_input' : 'refused_input';
  return { status: othersData ? 404 : 200 };
}

describe('access matrix: every route × every caller, from the route table (PGlite)', () => {
  let t: TestApp;
  let routes: Route[];
  let ticketA: string;
  let sessionId: string;
  /** Path and required query values; `owner` marks values naming partner A's data. */
  let fixtures: Record<string, { value: string; ownedByA: boolean }>;
  let openapi: {
    paths: Record<
      string,
      Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>
    >;
  };
  const eventCount = (): Promise<number> => storedEventCount(t);

  beforeAll(async () => {
    // PGlite: a private database, so neighbours' open transactions on the shared server cannot stall it.
    ({ t, ticketA } = await startWithTicketOfPartnerA('pglite'));
    routes = routeTable(t);
    openapi = (await t.http.get('/openapi.json')).body;
    const [dbNow] = await t.sql<{ at: Date }>(`SELECT now() + interval '1 minute' AS at`);
    fixtures = {
      id: { value: ticketA, ownedByA: true },
      serialNumber: { value: UNITS.cameraPickup.serialNumber, ownedByA: true },
      serial: { value: UNITS.cameraPickup.serialNumber, ownedByA: true },
      partnerId: { value: PARTNER_A, ownedByA: true },
      version: { value: sampleCatalog().version, ownedByA: false },
      at: { value: dbNow!.at.toISOString(), ownedByA: false },
    };
    const signIn = await t.http.post('/dashboard/session').type('form').send({ token: t.tokens.ops });
    sessionId = /ops_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))?.[1] ?? '';
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  afterAll(async () => t?.close());

  it('the route table covers every operation of /openapi.json, and every route names its roles or is public', () => {
    const table = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const documented = Object.entries(openapi.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((op) => !table.has(op))).toEqual([]);
    expect(routes.filter((r) => !r.isPublic && r.roles.length === 0)).toEqual([]);
    expect(routes.length).toBeGreaterThan(30);
  });

  it.each(Object.keys(CALLERS))('%s: every route answers as the role table says', async (name) => {
    const caller = CALLERS[name]!;
    const owned = new Set(
      Object.entries(fixtures)
        .filter(([, f]) => f.ownedByA)
        .map(([k]) => k),
    );
    const headers = await credentials(caller);
    const mismatches: string[] = [];
    for (const route of routes) {
      // The dashboard's public form posts (sign-in, sign-out) act on sessions: dashboard-session.e2e.spec.ts.
      if (route.isPublic && route.method !== 'GET') continue;
      const want = expected(route, caller, owned);
      const missing = route.params.filter((p) => !fixtures[p]);
      if (missing.length)
        throw new Error(`no fixture for path parameter(s) ${missing.join(', ')} of ${route.path}`);
      const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(fixtures[p]!.value));
      const query = Object.fromEntries(
        (openapi.paths[route.path]?.[route.method.toLowerCase()]?.parameters ?? [])
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => [p.name, fixtures[p.name]?.value ?? '']),
      );
      const before = typeof want === 'string' ? await eventCount() : 0;
      const body = want === 'not_found_valid_input' ? validBody(route) : { matrixProbe: 1 };
      const req = route.method === 'GET' ? t.http.get(path).query(query) : t.http.post(path).send(body);
      for (const [k, v] of Object.entries(headers)) void req.set(k, v);
      const res = await req;
      const got = `${route.method} ${route.path} → ${res.status}`;
      if (res.status >= 500) mismatches.push(`${got} (5xx)`);
      else if (want === 'public') {
        if (res.status === 401 || res.status === 403) mismatches.push(`${got}, public route`);
      } else if (want === 'refused_input' || want === 'not_found_valid_input') {
        const status = want === 'refused_input' ? 400 : 404;
        if (res.status !== status)
          mismatches.push(
            `${got}, want ${status} (${JSON.stringify(body)}: ${JSON.stringify(res.body).slice(0, 160)})`,
          );
        if ((await eventCount()) !== before) mismatches.push(`${got} appended events`);
      } else {
        if (res.status !== want.status)
          mismatches.push(`${got}, want ${want.status} (${path}: ${JSON.stringify(res.body).slice(0, 120)})`);
        const challenge: string | undefined = res.headers['www-authenticate'];
        if (want.status === 401 && !challenge?.startsWith('Bearer'))
          mismatches.push(`${got} without WWW-Authenticate`);
        if (want.challenge === 'invalid_token' && !challenge?.includes('error="invalid_token"'))
          mismatches.push(`${got}: challenge ${challenge} lacks error="invalid_token"`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  /** The smallest body the operation's OpenAPI schema accepts: required properties only, dates today. */
  function validBody(route: Route): object {
    type Schema = {
      $ref?: string;
      type?: string;
      enum?: unknown[];
      example?: unknown;
      minimum?: number;
      required?: string[];
      properties?: Record<string, Schema>;
    };
    const doc = openapi as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
      >;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!]! : s);
    const build = (raw: Schema, name: string): unknown => {
      const s = resolve(raw);
      if (s.enum) return s.enum[0];
      if (s.example !== undefined) return s.example;
      switch (s.type) {
        case 'boolean':
          return false;
        case 'integer':
        case 'number':
          return s.minimum ?? 1;
        case 'array':
          return [];
        case 'string':
          return /(Date|On|date)$/.test(name) ? daysAgo(0) : 'matrix';
        case 'object':
        case undefined:
          return Object.fromEntries((s.required ?? []).map((k) => [k, build(s.properties?.[k] ?? {}, k)]));
      }
    };
    const schema =
      doc.paths[route.path]?.[route.method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
    return schema ? (build(schema, '') as object) : {};
  }

  async function credentials(caller: Caller): Promise<Record<string, string>> {
    const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
    switch (caller.kind) {
      case 'no token':
        return {};
      case 'bad token':
        return bearer(
          signToken(
            { role: 'support', subject: 'mallory' },
            'not-the-secret',
            Math.floor(Date.now() / 1000),
            600,
          ),
        );
      case 'unknown role':
        return bearer(
          await new SignJWT({ sub: 'x', role: 'admin', iss: DEV_ISSUER, aud: DEV_AUDIENCE })
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuedAt()
            .setExpirationTime('10m')
            .sign(new TextEncoder().encode(DEV_AUTH_SECRET)),
        );
      case 'session id as bearer':
        return bearer(sessionId);
      case 'session cookie':
        return { cookie: `ops_session=${sessionId}` };
      case 'role':
        if (caller.role === 'partner')
          return bearer(t.tokens.partner(caller.partner === 'own' ? PARTNER_A : PARTNER_B));
        return bearer(t.tokens[caller.role]);
    }
  }
});
