import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostgresEventStore } from '@app/event-store';
import { daysAgo } from '../support/dates';
import { loadReferenceData, PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { SERVER_URL, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue #13: a command retried with its Idempotency-Key acts once, whatever happened to the first attempt;
 * a command whose transaction committed never answers 500. (The crash tests with real processes and kill -9
 * are in test/chaos/, the one-open-ticket-per-unit guard in one-open-ticket-per-unit.e2e.spec.ts.)
 */
describe('exactly once: retries with Idempotency-Key (server)', () => {
  const appName = `e2e_once_${randomUUID().slice(0, 8)}`;
  let t: TestApp;
  const partner = (): [string, string] => ['authorization', `Bearer ${t.tokens.partner(PARTNER_A)}`];
  const support = (): [string, string] => ['authorization', `Bearer ${t.tokens.support}`];
  const events = async (stream?: string): Promise<{ stream: string; type: string }[]> =>
    t.sql(
      `SELECT stream, type FROM "${t.schemas.events}".events ${stream ? 'WHERE stream = $1' : ''} ORDER BY global_position`,
      stream ? [stream] : [],
    );
  const ticketStreams = async (): Promise<number> =>
    (await events()).filter((e) => e.type === 'RepairRequested').length;
  const file = (key: string, body: object) =>
    t.http
      .post('/tickets')
      .set(...partner())
      .set('idempotency-key', key)
      .send(body);
  /** Partner A's failed unit sent for ticket `id`, with these headers (Idempotency-Key, If-Match). */
  const sendFailedUnit = (id: string, body: object, headers: Record<string, string>) =>
    t.http
      .post(`/tickets/${id}/send-failed-unit`)
      .set(...partner())
      .set(headers)
      .send(body);
  /** A filing for a unit of its own (one open ticket per unit). */
  const fresh = async (tag: string): Promise<Record<string, unknown>> =>
    repairRequest(await registerUnit(t, UNITS.cameraPickup, tag));

  beforeAll(async () => {
    t = await startTestApp('server', { applicationName: appName });
    await loadReferenceData(t);
  });
  afterAll(async () => t?.close());

  it('ten copies of one filing sent at once file one ticket; every copy gets its answer', async () => {
    const before = await ticketStreams();
    const body = await fresh('parallel');
    const answers = await Promise.all(Array.from({ length: 10 }, () => file('parallel-filing-1', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const ids = new Set(answers.map((a) => a.body.ticketId as string));
    expect(ids.size).toBe(1);
    for (const a of answers) {
      expect(a.body).toEqual(answers[0]!.body);
      expect(a.headers.etag).toBe(answers[0]!.headers.etag);
      expect(a.headers.location).toBe(`/tickets/${[...ids][0]}`);
    }
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(await ticketStreams()).toBe(before + 1);
  });

  it('a retry after the first answer was lost (client gave up while the api waited) returns the same ticket', async () => {
    // Hold the projections' checkpoint row: the api appends, then waits for its read model, and the client
    // gives up, as when the connection or the api died between commit and answer.
    const body = await fresh('lost');
    const blocker = new Client({ connectionString: SERVER_URL });
    await blocker.connect();
    const before = await ticketStreams();
    let whileBlocked: Awaited<ReturnType<typeof file>>;
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM "${t.schemas.readModels}".projection_checkpoint FOR UPDATE`);
      const lost = await file('lost-answer-1', body)
        .timeout(1500)
        .then(
          () => 'answered',
          () => 'timed out',
        );
      expect(lost).toBe('timed out');
      whileBlocked = await file('lost-answer-1', body).timeout(10_000); // at once: no lock-out
    } finally {
      // Never leave the transaction open: the event store's readers wait for the oldest one on the server.
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    expect(whileBlocked.status).toBe(201);
    expect(whileBlocked.headers['idempotent-replayed']).toBe('true');
    const again = await file('lost-answer-1', body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(whileBlocked.body);
    expect(await ticketStreams()).toBe(before + 1);
    expect((await t.http.get(`/tickets/${again.body.ticketId}`).set(...partner())).status).toBe(200);
  });

  it('a follow-up command retried with the same key and If-Match gets its own answer, not a conflict', async () => {
    const filed = await file('follow-up-filing', await fresh('follow-up'));
    const id = filed.body.ticketId as string;
    const shipment = { carrier: 'Sagawa', trackingNumber: '77-1' };
    const ifMatch = filed.headers.etag as string;
    const send = () =>
      sendFailedUnit(id, shipment, { 'idempotency-key': 'follow-up-send', 'if-match': ifMatch });
    const first = await send();
    expect(first.status).toBe(200);
    const count = (await events(`ticket-${id}`)).length;
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect((await events(`ticket-${id}`)).length).toBe(count);
    // Without a key the same request is a new command, refused by the revision it names.
    const unkeyed = await sendFailedUnit(id, shipment, { 'if-match': ifMatch });
    expect(unkeyed.status).toBe(409);
  });

  it('a key used for one request and then for another is 422 naming the header, across tickets and routes', async () => {
    const a = await file('reused-a-filing', await fresh('reused-a'));
    const b = await file('reused-b-filing', await fresh('reused-b'));
    const ship = { carrier: 'Sagawa', trackingNumber: '1' };
    const onA = await sendFailedUnit(a.body.ticketId, ship, { 'idempotency-key': 'reused-key' });
    expect(onA.status).toBe(200);
    const onB = await sendFailedUnit(b.body.ticketId, ship, { 'idempotency-key': 'reused-key' });
    expect(onB.status).toBe(422);
    expect(onB.body).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    const asFiling = await file('reused-key', await fresh('reused-c'));
    expect(asFiling.status).toBe(422);
    expect((await events(`ticket-${b.body.ticketId}`)).map((e) => e.type)).not.toContain('FailedUnitSent');
  });

  it('reference-data commands replay too: partners, unit sales (ten at once), catalog versions', async () => {
    const partnerId = `P-ONCE-${randomUUID().slice(0, 6)}`;
    const register = () =>
      t.http
        .post('/partners')
        .set(...support())
        .set('idempotency-key', `register-${partnerId}`)
        .send({ partnerId, name: 'Once Ltd' });
    const first = await register();
    expect(first.status).toBe(201);
    const retry = await register();
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');

    const serial = `SN-ONCE-${randomUUID().slice(0, 6)}`;
    const sale = {
      serialNumber: serial,
      modelNumber: UNITS.cameraPickup.modelNumber,
      partnerId,
      saleDate: daysAgo(10),
      soldInJapan: true,
    };
    const sales = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http
          .post('/unit-sales')
          .set(...support())
          .set('idempotency-key', `sale-${serial}`)
          .send(sale),
      ),
    );
    expect(new Set(sales.map((s) => s.status))).toEqual(new Set([sales[0]!.status]));
    expect(sales[0]!.status).toBeLessThan(300);
    for (const s of sales) expect(s.body).toEqual(sales[0]!.body);
    expect((await events(`unit-sale-${serial}`)).length).toBe(1);

    const join = () =>
      t.http
        .post(`/partners/${partnerId}/join-partners-circle`)
        .set(...support())
        .set('idempotency-key', `join-${partnerId}`)
        .send({ date: daysAgo(5) });
    expect((await join()).status).toBeLessThan(300);
    const rejoin = await join();
    expect(rejoin.status).toBeLessThan(300);
    expect(rejoin.headers['idempotent-replayed']).toBe('true');
    expect((await events(`partner-${partnerId}`)).map((e) => e.type)).toEqual([
      'PartnerRegistered',
      'PartnersCircleJoined',
    ]);
  });

  it('killing the api’s database connections under load: no 500, keyed retries land once, LISTEN comes back', async () => {
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    const before = await ticketStreams();
    const keys = Array.from({ length: 24 }, (_, i) => `terminated-${i}`);
    const bodies = new Map<string, Record<string, unknown>>();
    for (const key of keys) bodies.set(key, await fresh(key));
    let killing = true;
    const killer = (async () => {
      let kills = 0;
      while (killing && kills < 40) {
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [appName],
        );
        kills++;
        await sleep(40);
      }
      return kills;
    })();
    const statuses: number[] = [];
    const retryAfter: (string | undefined)[] = [];
    const answers = new Map<string, string>();
    let kills = 0;
    try {
      await Promise.all(
        [0, 1, 2, 3].map(async (lane) => {
          for (const key of keys.filter((_, i) => i % 4 === lane)) {
            // Retry while the answer says "try again" (bounded): 503 with Retry-After, never 500.
            for (let attempt = 0; attempt < 20 && !answers.has(key); attempt++) {
              const res = await file(key, bodies.get(key)!);
              statuses.push(res.status);
              if (res.status === 201) answers.set(key, res.body.ticketId as string);
              else if (res.status === 503) {
                retryAfter.push(res.headers['retry-after']);
                await sleep(50);
              } else break;
            }
          }
        }),
      );
    } finally {
      killing = false;
      kills = await killer;
      await admin.end();
    }
    process.stdout.write(
      `exactly-once (terminated backends): ${keys.length} keys, ${statuses.length} requests, ` +
        `${statuses.filter((s) => s === 201).length}×201, ${statuses.filter((s) => s === 503).length}×503, ` +
        `${statuses.filter((s) => s !== 201 && s !== 503).length} other, ${kills} terminations\n`,
    );
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(retryAfter.every((h) => h === '1')).toBe(true);
    expect(answers.size).toBe(keys.length);
    expect(new Set(answers.values()).size).toBe(keys.length);
    expect(await ticketStreams()).toBe(before + keys.length);
    // The api recovered without a restart: a new filing and a read work, and commits wake it again.
    expect((await file('after-the-storm', await fresh('after'))).status).toBe(201);
    const store = t.started.runtime.store as PostgresEventStore;
    const deadline = Date.now() + 1500;
    while (!store.connectionStatus().listening && Date.now() < deadline) await sleep(20);
    expect(store.connectionStatus().listening).toBe(true);
    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(/^repair_event_store_listen_connected 1$/m);
    expect(Number(/^repair_event_store_listen_restored_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  });
});
