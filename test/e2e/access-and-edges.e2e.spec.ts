import { DEV_AUTH_SECRET } from '../../apps/api/src/auth/auth.config';
import { signToken } from '../../apps/api/src/auth/token';
import { PARTNER_A, PARTNER_B, registerUnit, repairRequest, UNIT_B, UNITS } from '../support/fixtures';
import { storedEventCount, type TestApp, tokenIssuedNow } from '../support/test-app';
import { postTicket, startWithTicketOfPartnerA, TicketClient } from './ticket-client';

const ship = { carrier: 'Sagawa', trackingNumber: '9000-1' };

describe('access, concurrency and idempotency over HTTP (server)', () => {
  let t: TestApp;
  let ticketA: string;
  const bearer = (token: string): [string, string] => ['authorization', `Bearer ${token}`];
  const eventCount = (): Promise<number> => storedEventCount(t);
  const fileAsPartnerA = (body: object, idempotencyKey?: string) =>
    postTicket(t, t.tokens.partner(PARTNER_A), body, idempotencyKey);

  beforeAll(async () => {
    ({ t, ticketA } = await startWithTicketOfPartnerA('server'));
  });
  afterAll(async () => t?.close());

  describe('authentication and roles', () => {
    it('a request without a token is 401', async () => {
      expect((await t.http.get(`/tickets/${ticketA}`)).status).toBe(401);
    });

    it('a token signed with another secret is 401', async () => {
      const forged = tokenIssuedNow({ role: 'support', subject: 'mallory' }, 600, 'not-the-secret');
      expect((await t.http.get('/tickets').set(...bearer(forged))).status).toBe(401);
    });

    it('an expired token is 401 invalid_token; the same token unexpired is accepted', async () => {
      // Signed with the app's own key: only the dates differ, so expiry is the one reason to refuse it.
      const now = Math.floor(Date.now() / 1000);
      const sign = (issuedAt: number): string =>
        signToken({ role: 'support', subject: 'x' }, DEV_AUTH_SECRET, issuedAt, 3600);
      const expired = await t.http.get('/tickets').set(...bearer(sign(now - 2 * 3600)));
      expect(expired.status).toBe(401);
      expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
      expect((await t.http.get('/tickets').set(...bearer(sign(now)))).status).toBe(200);
    });

    it('an auditor cannot send commands (403)', async () => {
      const res = await t.http
        .post(`/tickets/${ticketA}/send-failed-unit`)
        .set(...bearer(t.tokens.auditor))
        .send(ship);
      expect(res.status).toBe(403);
    });

    it('a partner cannot ship a replacement (support only, 403)', async () => {
      const res = await t.http
        .post(`/tickets/${ticketA}/ship-replacement`)
        .set(...bearer(t.tokens.partner(PARTNER_A)))
        .send({ ...ship, replacementSerial: 'R' });
      expect(res.status).toBe(403);
    });

    it('support files only in a named partner’s name (400 naming partnerId), a partner only in its own', async () => {
      const bySupport = await t.http
        .post('/tickets')
        .set(...bearer(t.tokens.support))
        .send(repairRequest(UNITS.cameraPickup));
      expect(bySupport.status).toBe(400);
      expect(bySupport.body).toMatchObject({ field: 'partnerId' });
      const forOther = await fileAsPartnerA({ ...repairRequest(UNITS.cameraPickup), partnerId: PARTNER_B });
      expect(forOther.status).toBe(400);
      expect(forOther.body).toMatchObject({ field: 'partnerId' });
    });

    it('ops may read the dashboard, a partner may not', async () => {
      expect((await t.http.get('/dashboard/summary').set(...bearer(t.tokens.ops))).status).toBe(200);
      expect(
        (await t.http.get('/dashboard/summary').set(...bearer(t.tokens.partner(PARTNER_A)))).status,
      ).toBe(403);
    });

    it('health, metrics and the OpenAPI document need no token', async () => {
      const health = await t.http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', projections: { status: 'ok', running: true } });
      const metrics = await t.http.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^repair_projection_lag_events \d+$/m);
      expect(metrics.text).toMatch(/^repair_event_store_listen_connected 1$/m);
      const doc = await t.http.get('/openapi.json');
      expect(Object.keys(doc.body.paths as object)).toEqual(
        expect.arrayContaining(['/tickets', '/tickets/{id}/ship-replacement', '/dashboard/summary']),
      );
    });
  });

  describe('partners see only their own tickets', () => {
    it('another partner’s ticket is 404 on read, history and command, exactly like a missing one', async () => {
      const b = bearer(t.tokens.partner(PARTNER_B));
      const read = await t.http.get(`/tickets/${ticketA}`).set(...b);
      const missing = await t.http.get('/tickets/00000000-0000-4000-8000-000000000000').set(...b);
      expect(read.status).toBe(404);
      expect(read.body.code).toBe(missing.body.code);
      expect((await t.http.get(`/tickets/${ticketA}/history`).set(...b)).status).toBe(404);
      const before = await eventCount();
      expect(
        (
          await t.http
            .post(`/tickets/${ticketA}/cancel-ticket`)
            .set(...b)
            .send({ reason: 'x' })
        ).status,
      ).toBe(404);
      expect(await eventCount()).toBe(before);
    });

    it('the list shows a partner its own tickets only, even when it asks for another partner', async () => {
      const own = await new TicketClient(t, t.tokens.partner(PARTNER_B)).file(repairRequest(UNIT_B));
      const res = await t.http
        .get('/tickets')
        .query({ partnerId: PARTNER_A })
        .set(...bearer(t.tokens.partner(PARTNER_B)));
      expect(res.status).toBe(200);
      const items = res.body.items as { partnerId: string; ticketId: string }[];
      expect(items.map((i) => i.ticketId)).toContain(own.ticketId);
      expect(new Set(items.map((i) => i.partnerId))).toEqual(new Set([PARTNER_B]));
    });

    it('the list filters by scheme and pages with a cursor: every ticket once, in order, the last page without a cursor', async () => {
      const s = bearer(t.tokens.support);
      const client = new TicketClient(t, t.tokens.partner(PARTNER_A));
      const filed: string[] = [];
      for (let i = 0; i < 3; i++)
        filed.push(
          (await client.file(repairRequest(await registerUnit(t, UNITS.cameraReplacement, `page-${i}`))))
            .ticketId,
        );
      const all = await t.http
        .get('/tickets')
        .query({ scheme: 'replacement', limit: 200 })
        .set(...s);
      const expected = (all.body.items as { ticketId: string }[]).map((i) => i.ticketId);
      expect(all.body.nextCursor).toBeNull();
      expect(expected).toEqual(expect.arrayContaining(filed));
      expect(expected.length).toBeGreaterThanOrEqual(3); // so at least two pages of 2
      const pages: { ticketId: string; scheme: string }[][] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get('/tickets')
          .query({ scheme: 'replacement', limit: 2, ...(cursor ? { cursor } : {}) })
          .set(...s);
        expect(res.status).toBe(200);
        pages.push(res.body.items as { ticketId: string; scheme: string }[]);
        cursor = res.body.nextCursor as string | null;
      } while (cursor !== null && pages.length < 100);
      expect(pages.flat().map((i) => i.ticketId)).toEqual(expected);
      expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
      expect(pages.at(-1)!.length).toBe(expected.length - 2 * (pages.length - 1));
      expect(pages.flat().every((i) => i.scheme === 'replacement')).toBe(true);
    });

    it('tickets requested at the same instant page by ticket id; a full last page has nextCursor null', async () => {
      const s = bearer(t.tokens.support);
      const partnerId = 'P-TIE';
      await t.http
        .post('/partners')
        .set(...s)
        .send({ partnerId, name: 'tie partner' });
      const client = new TicketClient(t, t.tokens.partner(partnerId));
      const ids: string[] = [];
      for (let i = 0; i < 4; i++)
        ids.push(
          (await client.file(repairRequest(await registerUnit(t, UNIT_B, `tie-${i}`, partnerId)))).ticketId,
        );
      // Equal requested_at cannot be arranged through the API (it is the instant of receipt): set it in the read
      // model the list reads, for these four tickets only.
      await t.sql(
        `UPDATE "${t.schemas.readModels}".ticket_summary SET requested_at = '2026-01-02T03:04:05.678Z' WHERE partner_id = $1`,
        [partnerId],
      );
      const page = (cursor?: string) =>
        t.http
          .get('/tickets')
          .query({ partnerId, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(...s);
      const first = await page();
      const second = await page(first.body.nextCursor as string);
      const seen = [...first.body.items, ...second.body.items].map((i: { ticketId: string }) => i.ticketId);
      expect(seen).toEqual([...ids].sort().reverse());
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      ['limit 0', { limit: 0 }, 'limit'],
      ['limit 201', { limit: 201 }, 'limit'],
      ['a cursor the API never issued', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
    ])('%s is 400 naming the parameter', async (_, query, field) => {
      const res = await t.http
        .get('/tickets')
        .query(query)
        .set(...bearer(t.tokens.support));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', field });
    });

    it('limit 1 and limit 200 (the bounds) are accepted', async () => {
      const one = await t.http
        .get('/tickets')
        .query({ limit: 1 })
        .set(...bearer(t.tokens.support));
      expect(one.status).toBe(200);
      expect(one.body.items).toHaveLength(1);
      expect(one.body.nextCursor).toEqual(expect.any(String));
      const most = await t.http
        .get('/tickets')
        .query({ limit: 200 })
        .set(...bearer(t.tokens.support));
      expect(most.status).toBe(200);
      expect(most.body.nextCursor).toBeNull(); // this suite files far fewer than 200 tickets
      expect((most.body.items as unknown[]).length).toBeGreaterThan(1);
    });
  });

  describe('concurrency', () => {
    it('two commands sent with the same If-Match: exactly one wins, the other gets 409 with the current revision', async () => {
      const { ticketId, revision } = await new TicketClient(t, t.tokens.partner(PARTNER_A)).file(
        repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'if-match')),
      );
      const send = () =>
        t.http
          .post(`/tickets/${ticketId}/ship-replacement`)
          .set(...bearer(t.tokens.support))
          .set('if-match', `"${revision}"`)
          .send({ ...ship, replacementSerial: 'R-C' });
      const results = await Promise.all([send(), send(), send()]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
      const conflict = results.find((r) => r.status === 409)!;
      expect(conflict.body).toMatchObject({ currentRevision: revision + 1 });
      expect(conflict.headers.etag).toBe(`"${revision + 1}"`);
    });

    it('a stale If-Match is 409 and appends nothing', async () => {
      const before = await eventCount();
      const res = await t.http
        .post(`/tickets/${ticketA}/send-failed-unit`)
        .set(...bearer(t.tokens.partner(PARTNER_A)))
        .set('if-match', '"0"')
        .send(ship);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('revision_conflict');
      expect(await eventCount()).toBe(before);
    });
  });

  describe('idempotent retries', () => {
    it('the same Idempotency-Key returns the first result and appends nothing', async () => {
      const unit = await registerUnit(t, UNITS.cameraReplacement, 'once-1');
      const first = await fileAsPartnerA(repairRequest(unit), 'file-once-1');
      expect(first.status).toBe(201);
      const before = await eventCount();
      const retry = await fileAsPartnerA(repairRequest(unit), 'file-once-1');
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers.location).toBe(first.headers.location);
      expect(await eventCount()).toBe(before);
    });

    it('reusing a key for a different request is 422 naming the header', async () => {
      await fileAsPartnerA(
        repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'once-2')),
        'file-once-2',
      );
      const other = await fileAsPartnerA(repairRequest(UNITS.cameraPickup), 'file-once-2');
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    });
  });
});
