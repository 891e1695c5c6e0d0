import { createHash } from 'node:crypto';
import { startTestApp, type TestApp, tokenIssuedNow } from '../support/test-app';

/**
 * Dashboard sessions live on the server: the cookie holds a random id (never the token), sign-out ends the
 * session at once, the lifetime is capped at 12 h whatever the token says; cross-origin form posts are refused,
 * sign-in is throttled, and helmet's headers are on API and page alike.
 */
describe('dashboard sessions and security headers (PGlite)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('pglite');
  });
  afterAll(async () => t?.close());

  const signIn = async (
    token: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; id: string | undefined; maxAge: number | undefined }> => {
    const req = t.http.post('/dashboard/session').type('form').send({ token });
    for (const [k, v] of Object.entries(headers)) void req.set(k, v);
    const res = await req;
    const cookie = String(res.headers['set-cookie'] ?? '');
    return {
      status: res.status,
      id: /ops_session=([^;]*)/.exec(cookie)?.[1],
      maxAge: Number(/Max-Age=(\d+)/.exec(cookie)?.[1]) || undefined,
    };
  };
  const summaryWithCookie = (id: string): Promise<{ status: number }> =>
    t.http
      .get('/dashboard/summary')
      .set('cookie', `ops_session=${id}`)
      .then((r) => r);

  it('the cookie holds a random session id, not the token, and the database holds only its hash', async () => {
    const { status, id } = await signIn(t.tokens.ops);
    expect(status).toBe(303);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).not.toContain(t.tokens.ops.split('.')[0]);
    expect((await summaryWithCookie(id!)).status).toBe(200);
    const rows = await t.sql<{ id_hash: string }>(`SELECT id_hash FROM dashboard_session`);
    expect(rows.some((r) => r.id_hash === id)).toBe(false);
    expect(rows.map((r) => r.id_hash)).toEqual([createHash('sha256').update(id!).digest('hex')]);
  });

  it('the session id does not work as a bearer token', async () => {
    const { id } = await signIn(t.tokens.ops);
    const res = await t.http.get('/dashboard/summary').set('authorization', `Bearer ${id}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('sign-out deletes the session: the old cookie gets 401 and the page asks to sign in again', async () => {
    const { id } = await signIn(t.tokens.ops);
    const out = await t.http.post('/dashboard/sign-out').set('cookie', `ops_session=${id}`);
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/ops_session=;/);
    const after = await t.http.get('/dashboard/summary').set('cookie', `ops_session=${id}`);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toMatch(/^Bearer /);
    const page = await t.http.get('/dashboard').set('cookie', `ops_session=${id}`);
    expect(page.text).toContain('id="signin"');
  });

  it('a 24 h token opens a session of at most 12 h (cookie and server side), which then expires', async () => {
    // 49 h is over the token maximum (24 h), so use the longest accepted token: the cap is the session's own.
    const token = tokenIssuedNow({ role: 'ops', subject: 'long' }, 24 * 3600);
    const { id, maxAge } = await signIn(token);
    expect(maxAge).toBe(12 * 3600);
    const [row] = await t.sql<{ seconds: number }>(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM dashboard_session ORDER BY created_at DESC LIMIT 1`,
    );
    expect(row?.seconds).toBe(12 * 3600);
    await t.sql(`UPDATE dashboard_session SET expires_at = now() - interval '1 second'`);
    expect((await summaryWithCookie(id!)).status).toBe(401);
  });

  it('a token of 49 h is refused at sign-in (over the maximum token lifetime)', async () => {
    const token = tokenIssuedNow({ role: 'ops', subject: 'x' }, 49 * 3600);
    const res = await signIn(token);
    expect(res.status).toBe(401);
    expect(res.id).toBeUndefined();
  });

  it('cross-origin sign-in and sign-out are refused (403); same-origin ones pass', async () => {
    expect((await signIn(t.tokens.ops, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await signIn(t.tokens.ops, { origin: 'null' })).status).toBe(403);
    expect((await signIn(t.tokens.ops, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const { id } = await signIn(t.tokens.ops, {
      host: 'ops.example:8443',
      origin: 'https://ops.example:8443',
    });
    expect(id).toBeDefined();
    const out = await t.http
      .post('/dashboard/sign-out')
      .set('origin', 'https://evil.example')
      .set('cookie', `ops_session=${id}`);
    expect(out.status).toBe(403);
    expect((await summaryWithCookie(id!)).status).toBe(200);
  });

  it('sign-in is rate-limited (429 with Retry-After)', async () => {
    let last = { status: 0 };
    let attempts = 0;
    while (last.status !== 429 && attempts < 30) {
      attempts += 1;
      last = await t.http.post('/dashboard/session').type('form').send({ token: 'wrong' });
    }
    expect(last.status).toBe(429);
    expect(attempts).toBeLessThanOrEqual(11);
    const res = await t.http.post('/dashboard/session').type('form').send({ token: 'wrong' });
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.code).toBe('too_many_requests');
  });

  it('helmet security headers on the API and the page; the page keeps its nonce CSP', async () => {
    const api = await t.http.get('/health');
    expect(api.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age') as string,
      'content-security-policy': expect.stringContaining("default-src 'self'") as string,
    });
    const page = await t.http.get('/dashboard');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('every 401 of the API carries WWW-Authenticate: Bearer', async () => {
    const none = await t.http.get('/tickets');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="ipro-repair"');
    const basic = await t.http.get('/tickets').set('authorization', 'Basic dXNlcjpwYXNz');
    expect(basic.headers['www-authenticate']).toContain('error="invalid_request"');
    const bad = await t.http.get('/tickets').set('authorization', 'Bearer x.y.z');
    expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});

/** Its own app: the sign-in throttle (10 a minute per address) is shared by every test of an app. */
describe('dashboard sign-in refusals and the cookie elsewhere (PGlite)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('pglite');
  });
  afterAll(async () => t?.close());

  const sessionRows = async (): Promise<number> =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM dashboard_session`))[0]?.n);

  it.each([
    ['an empty token', 400, 'トークンを入力してください', () => ''],
    ['a token that is not one', 401, 'invalid token', () => 'not.a.token'],
    [
      'a token signed with another key',
      401,
      'invalid token',
      () => tokenIssuedNow({ role: 'ops', subject: 'm' }, 600, 'other-key'),
    ],
    ['a support token (ops only)', 403, 'ops only', () => t.tokens.support],
  ])(
    'sign-in with %s is refused (%i), shows the form again and opens no session',
    async (_, status, message, token) => {
      const before = await sessionRows();
      const res = await t.http.post('/dashboard/session').type('form').send({ token: token() });
      expect(res.status).toBe(status);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toContain('id="signin"');
      expect(res.text).toContain(message);
      if (status === 401) expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(await sessionRows()).toBe(before);
    },
  );

  it('the session cookie counts on GET /dashboard/summary only: any other route answers 401 as without credentials', async () => {
    const signIn = await t.http.post('/dashboard/session').type('form').send({ token: t.tokens.ops });
    const id = /ops_session=([^;]*)/.exec(String(signIn.headers['set-cookie']))?.[1];
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = `ops_session=${id}`;
    expect((await t.http.get('/dashboard/summary').set('cookie', cookie)).status).toBe(200);
    for (const res of [
      await t.http.get('/tickets').set('cookie', cookie),
      await t.http.get('/partners').set('cookie', cookie),
      await t.http.post('/partners').set('cookie', cookie).send({ partnerId: 'P-COOKIE', name: 'x' }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="ipro-repair"');
    }
    expect((await t.http.get('/partners').set('authorization', `Bearer ${t.tokens.support}`)).body).toEqual(
      [],
    );
  });
});
