import { loadReferenceData, PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue #16: the request histogram counts every response with the status the client got: guard rejections
 * (401, 403), pipe rejections (400), error-filter mappings (409), edge refusals and unmatched paths, not 200 and
 * not nothing. Oracle: the statuses the requests below really received (asserted first), compared with the
 * `_count` samples read back from /metrics.
 */
describe('request metrics count the status that was sent', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
  });
  afterAll(async () => t?.close());

  /** `repair_http_request_duration_seconds_count` by "METHOD route status". */
  async function counts(): Promise<Map<string, number>> {
    const text = (await t.http.get('/metrics').expect(200)).text;
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = /^repair_http_request_duration_seconds_count\{(.*)\} (\d+)$/.exec(line);
      if (!m?.[1]) continue;
      const labels = Object.fromEntries(
        [...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1] as string, l[2] as string]),
      );
      out.set(`${labels['method']} ${labels['route']} ${labels['status']}`, Number(m[2]));
    }
    return out;
  }
  const delta = (before: Map<string, number>, after: Map<string, number>, key: string): number =>
    (after.get(key) ?? 0) - (before.get(key) ?? 0);

  it('guard, pipe, filter and edge rejections are each counted once under their own status', async () => {
    const before = await counts();
    const partner = `Bearer ${t.tokens.partner(PARTNER_A)}`;

    await t.http.get('/tickets').expect(401); // no token: the guard
    await t.http.get('/partners').set('authorization', partner).expect(403); // wrong role: the guard
    await t.http
      .post('/tickets')
      .set('authorization', partner)
      .send({ ...repairRequest(UNITS.cameraReplacement), failureDate: 'yesterday' })
      .expect(400); // validation pipe
    const filed = await t.http
      .post('/tickets')
      .set('authorization', partner)
      .send(repairRequest(UNITS.cameraReplacement))
      .expect(201);
    await t.http
      .post('/tickets')
      .set('authorization', partner)
      .send(repairRequest(UNITS.cameraReplacement))
      .expect(409); // the error filter: an open ticket exists for the unit
    await t.http.get('/no-such-route').set('authorization', partner).expect(404);
    expect(filed.body).toMatchObject({ status: 'escalated' });

    const after = await counts();
    expect(delta(before, after, 'GET /tickets 401')).toBe(1);
    expect(delta(before, after, 'GET /partners 403')).toBe(1);
    expect(delta(before, after, 'POST /tickets 400')).toBe(1);
    expect(delta(before, after, 'POST /tickets 201')).toBe(1);
    expect(delta(before, after, 'POST /tickets 409')).toBe(1);
    expect(delta(before, after, 'GET (unmatched) 404')).toBe(1);
    // Nothing was counted as a success that was not one, and the raw path never became a label.
    expect(delta(before, after, 'POST /tickets 200')).toBe(0);
    expect([...after.keys()].some((k) => k.includes('/no-such-route'))).toBe(false);
  });
});
