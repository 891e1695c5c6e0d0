import { loadReferenceData, PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** The measured families of issue 14, one behaviour each: a 400/405/415 naming the field, never a 500. */
describe('hostile input over HTTP (server)', () => {
  let t: TestApp;
  let ticketId: string;
  const bearer = (token: string): [string, string] => ['authorization', `Bearer ${token}`];
  const support = (): [string, string] => bearer(t.tokens.support);
  const partner = (): [string, string] => bearer(t.tokens.partner(PARTNER_A));
  const eventCount = async (): Promise<number> =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM "${t.schemas.events}".events`))[0]?.n);
  const file = (overrides: Record<string, unknown>) =>
    t.http
      .post('/tickets')
      .set(...partner())
      .send(repairRequest(UNITS.recorderYear1, overrides));
  const fileRaw = (text: string, headers: Record<string, string> = {}) => {
    let req = t.http
      .post('/tickets')
      .set(...partner())
      .set('content-type', 'application/json');
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(text);
  };
  const validText = (): string => JSON.stringify(repairRequest(UNITS.recorderYear1));

  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
    ticketId = ((await file({})).body as { ticketId: string }).ticketId;
  });
  afterAll(async () => t?.close());

  describe('NUL and unpaired surrogates are a 400 naming the request field', () => {
    it.each([
      ['serialNumber', 'SN\u0000X'],
      ['failureDescription', 'broken \uD800 here'],
      ['endUserReference', '\uDC00'],
    ])('in the body field %s, storing nothing', async (field, value) => {
      const before = await eventCount();
      const res = await file({ [field]: value });
      expect([res.status, res.body.field]).toEqual([400, field]);
      expect(await eventCount()).toBe(before);
    });

    it('in a nested body field', async () => {
      const res = await file({ site: { prefecture: '東京\u0000都', remoteArea: false } });
      expect([res.status, res.body.field]).toEqual([400, 'site.prefecture']);
    });

    it.each(['serialNumber', 'partnerId'])('in the query filter %s', async (name) => {
      const res = await t.http.get(`/tickets?${name}=%00`).set(...support());
      expect([res.status, res.body.field]).toEqual([400, name]);
    });

    it.each([
      ['/partners/%00', 'partnerId'],
      ['/unit-sales/%00', 'serial'],
      ['/warranty/%00', 'serialNumber'],
      ['/catalog/versions/x%00y', 'version'],
    ])('in the path %s', async (path, field) => {
      const res = await t.http.get(path).set(...support());
      expect([res.status, res.body.field]).toEqual([400, field]);
    });
  });

  it('a path parameter that is not UTF-8 names the parameter, not the body', async () => {
    const res = await t.http.get('/partners/%ff').set(...support());
    expect([res.status, res.body.field, res.body.code]).toEqual([400, 'partnerId', 'validation_failed']);
  });

  describe('a ticket id spelled in upper case is the same ticket (ids are stored lower-case)', () => {
    it('is read as the lower-case ticket', async () => {
      const res = await t.http.get(`/tickets/${ticketId.toUpperCase()}`).set(...partner());
      expect([res.status, res.body.ticketId]).toEqual([200, ticketId]);
    });

    it('a command on it acts on the lower-case ticket, with its revision as ETag', async () => {
      const unit = await registerUnit(t, UNITS.recorderYear1, 'upper-case-id');
      const filed = await t.http
        .post('/tickets')
        .set(...partner())
        .send(repairRequest(unit, { proofOfDelivery: null }));
      const id = (filed.body as { ticketId: string }).ticketId;
      const res = await t.http
        .post(`/tickets/${id.toUpperCase()}/submit-proof-of-delivery`)
        .set(...partner())
        .set('if-match', filed.headers.etag as string)
        .send({ proof: { kind: 'invoice', reference: 'INV-UPPER' }, deliveryDate: unit.deliveryDate });
      const after = await t.http.get(`/tickets/${id}`).set(...partner());
      expect([filed.status, filed.body.status, res.status, res.body.ticketId]).toEqual([
        201,
        'awaiting_proof',
        200,
        id,
      ]);
      expect([after.body.status === 'awaiting_proof', res.headers.etag]).toEqual([false, after.headers.etag]);
      const streams = await t.sql<{ stream: string }>(
        `SELECT DISTINCT stream FROM "${t.schemas.events}".events WHERE lower(stream) = $1`,
        [`ticket-${id}`],
      );
      expect(streams).toEqual([{ stream: `ticket-${id}` }]);
    });
  });

  describe('one calendar-date rule: YYYY-MM-DD, a real day, 1900–2999', () => {
    it.each(['2025-02-30', '2025-W01', '2025-W01-1', '0000-01-01', '+275760-09-13T00:00:00.000Z'])(
      'the list filter requestedFrom=%s is 400',
      async (value) => {
        const res = await t.http.get(`/tickets?requestedFrom=${encodeURIComponent(value)}`).set(...support());
        expect([res.status, res.body.field]).toEqual([400, 'requestedFrom']);
      },
    );

    it.each(['9999-12-31', '2025-02-30', '0000-00-00', '2025-13-45'])(
      'GET /warranty/{serial}?deliveryDate=%s is 400',
      async (value) => {
        const res = await t.http
          .get(`/warranty/${UNITS.recorderYear1.serialNumber}?deliveryDate=${value}`)
          .set(...support());
        expect([res.status, res.body.field]).toEqual([400, 'deliveryDate']);
      },
    );

    it.each(['2025-02-30', '1899-12-31', '3000-01-01'])(
      'the body date failureDate=%s is 400',
      async (value) => {
        const res = await file({ failureDate: value });
        expect([res.status, res.body.field]).toEqual([400, 'failureDate']);
      },
    );

    it('an as-of time that is no instant is 400', async () => {
      const res = await t.http.get(`/tickets/${ticketId}/as-of?at=2025-W01`).set(...support());
      expect([res.status, res.body.field]).toEqual([400, 'at']);
    });
  });

  it.each([
    ['a number as time', ['1', 'x']],
    ['an impossible day', ['2025-02-30', 'x']],
    ['a year beyond the calendar', ['+275760-09-13T00:00:00.000Z', 'x']],
    ['NUL in the id', ['2025-01-01T00:00:00.000Z', 'x\u0000']],
    ['an id that is no ticket id', ['2025-01-01T00:00:00.000Z', 'x']],
  ])('a forged cursor (%s) is 400 naming cursor', async (_, value) => {
    const cursor = Buffer.from(JSON.stringify(value)).toString('base64url');
    const res = await t.http.get(`/tickets?cursor=${cursor}`).set(...support());
    expect([res.status, res.body.field]).toEqual([400, 'cursor']);
  });

  describe('shapes and limits', () => {
    it.each([
      [
        'site 20,000 arrays deep',
        validText().replace('"site":', `"site":${'['.repeat(20_000)}${']'.repeat(20_000)},"x":`),
      ],
      [
        'an object 5,000 deep',
        validText().replace('"site":', `"site":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"x":`),
      ],
    ])('%s is 400 before any recursive work', async (_, text) => {
      const res = await fileRaw(text);
      expect([res.status, res.body.field]).toEqual([400, 'body']);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('the key %s is refused, naming it', async (key) => {
      const res = await fileRaw(validText().replace(/^\{/, `{"${key}":{"isAdmin":true},`));
      expect([res.status, res.body.field]).toEqual([400, key]);
    });

    it('an integer beyond 2^53 is refused, naming the field', async () => {
      const res = await t.http
        .post(`/tickets/${ticketId}/issue-quote`)
        .set(...support())
        .set('content-type', 'application/json')
        .send('{"lines":[{"kind":"repair","description":"x","amountJpy":9007199254740993}]}');
      expect([res.status, res.body.field]).toEqual([400, 'lines.0.amountJpy']);
    });

    it.each(['site', 'proofOfDelivery'])('%s as an array is 400 (an object, not a list)', async (field) => {
      const res = await file({ [field]: Array.from({ length: 900 }, () => ({})) });
      expect([res.status, res.body.field, res.body.message]).toEqual([
        400,
        field,
        `${field}: must be an object, not a list`,
      ]);
    });

    it('quote lines beyond 50 are refused without validating each line', async () => {
      const res = await t.http
        .post(`/tickets/${ticketId}/issue-quote`)
        .set(...support())
        .send({ lines: Array.from({ length: 51 }, () => ({})) });
      expect([res.status, res.body.field, res.body.message]).toEqual([
        400,
        'lines',
        'lines: must have at most 50 items',
      ]);
    });

    it('an error body carries at most 20 errors and 8 KB', async () => {
      const extra = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${'k'.repeat(400)}${i}`, 1]));
      const res = await file(extra);
      expect(res.status).toBe(400);
      expect(res.body.errors.length).toBeLessThanOrEqual(20);
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(8 * 1024);
    });
  });

  describe('transport', () => {
    it.each([
      ['an unknown charset', { 'content-type': 'application/json; charset=bogus' }, 415],
      ['gzip that is not gzip', { 'content-encoding': 'gzip' }, 400],
      ['br that is not br', { 'content-encoding': 'br' }, 400],
      ['an unknown encoding', { 'content-encoding': 'x-unknown' }, 415],
    ])('%s is a client error naming the body', async (_, headers, status) => {
      const res = await fileRaw(validText(), headers);
      expect([res.status, res.body.field]).toEqual([status, 'body']);
    });

    it('a wrong method on a known path is 405 with Allow', async () => {
      const res = await t.http.delete(`/tickets/${ticketId}`).set(...support());
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('GET, HEAD');
    });

    it('an error carries no ETag (a client could take it for a ticket revision)', async () => {
      const res = await t.http.get('/partners/NOPE').set(...support());
      expect(res.status).toBe(404);
      expect(res.headers['etag']).toBeUndefined();
    });
  });

  /**
   * The worst small bodies of the issue (before the limits: 15,000 × {} as `site` took 1.8 s of CPU, 20,000 × {}
   * quote lines 2.0 s, with 3.8 MB and 9.3 MB error bodies). Checked without a clock: validation stops at the first
   * problem, so the answer to 15,000 or 20,000 elements is exactly the answer to 1,001 (just over the 1,000 cap of
   * any array) but for its correlation id — work and error body do not grow with the input — and it stays within the error body limits (8 KB, 20 errors). The api's CPU per request
   * is printed for the curious, not asserted (speed lives in benchmarks).
   */
  const quoteRaw = (text: string) =>
    t.http
      .post(`/tickets/${ticketId}/issue-quote`)
      .set(...support())
      .set('content-type', 'application/json')
      .send(text);
  const empties = (n: number): string => `[${Array.from({ length: n }, () => '{}').join(',')}]`;
  const withField = (field: string, n: number): string =>
    JSON.stringify({ ...repairRequest(UNITS.recorderYear1), [field]: 0 }).replace(
      `"${field}":0`,
      `"${field}":${empties(n)}`,
    );
  it.each([
    ['{} as site', (n: number) => fileRaw(withField('site', n)), 15_000],
    ['{} as proofOfDelivery', (n: number) => fileRaw(withField('proofOfDelivery', n)), 15_000],
    ['{} quote lines', (n: number) => quoteRaw(`{"lines":${empties(n)}}`), 20_000],
  ])(
    '%s: %#, the answer to a huge list is the answer to 1,001 elements, within the limits',
    async (label, send, huge) => {
      const small = await send(1001);
      const cpu = process.cpuUsage();
      const big = await send(huge);
      const used = process.cpuUsage(cpu);
      process.stdout.write(`cpu: ${huge} × ${label}: ${((used.user + used.system) / 1000).toFixed(1)} ms\n`);
      expect(big.status).toBe(400);
      const withoutCorrelation = ({ correlationId: _, ...rest }: Record<string, unknown>) => rest;
      expect(withoutCorrelation(big.body as Record<string, unknown>)).toEqual(
        withoutCorrelation(small.body as Record<string, unknown>),
      );
      expect(Buffer.byteLength(big.text)).toBeLessThanOrEqual(8 * 1024);
      expect((big.body as { errors?: unknown[] }).errors?.length ?? 1).toBeLessThanOrEqual(20);
    },
  );
});
