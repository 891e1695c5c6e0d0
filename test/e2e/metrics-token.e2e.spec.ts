import { startTestApp, type TestApp } from '../support/test-app';

/** METRICS_TOKEN set (README "Configuration"): /metrics answers only to that bearer token; /health stays public. */
describe('/metrics behind METRICS_TOKEN', () => {
  const token = 'scrape-9f1c2e7a';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('server', { metricsToken: token });
  });
  afterAll(async () => t?.close());

  it.each([
    ['no Authorization', undefined],
    ['a wrong token', 'Bearer scrape-0000'],
    ['the token with something after it', `Bearer ${token}x`],
    ['the token without the Bearer scheme', token],
  ])('refuses %s with 401 and WWW-Authenticate, and shows no figure', async (_label, authorization) => {
    const req = t.http.get('/metrics');
    const res = await (authorization === undefined ? req : req.set('authorization', authorization));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(res.text).toBe('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
  });

  it("refuses a user's JWT, even an ops one: the scrape credential is its own", async () => {
    const res = await t.http.get('/metrics').set('authorization', `Bearer ${t.tokens.ops}`);
    expect(res.status).toBe(401);
  });

  it('answers the token with the Prometheus text', async () => {
    const res = await t.http.get('/metrics').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8; version=0.0.4');
    expect(res.text).toMatch(/^repair_event_store_readable 1$/m);
  });

  it('leaves /health public', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect((res.body as { status: string }).status).toBe('ok');
  });
});
