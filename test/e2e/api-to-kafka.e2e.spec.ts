import {
  consumeUntil,
  createTestTopic,
  deleteTestTopic,
  testMessagingConfig,
  testTopic,
} from '@app/messaging/testing';
import { execFileSync } from 'node:child_process';
import { loadReferenceData, PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { TicketClient } from './ticket-client';

/** A command through the HTTP API reaches the Kafka topic through the in-process relay (RELAY_IN_PROCESS). */
describe('HTTP API → event store → relay → Kafka', () => {
  const topic = testTopic('api-e2e', 3);
  let t: TestApp;

  beforeAll(async () => {
    await createTestTopic(topic);
    t = await startTestApp('server', { relay: testMessagingConfig(topic) });
    await loadReferenceData(t);
  });
  afterAll(async () => {
    await t?.close();
    await deleteTestTopic(topic);
  });

  it('a ticket’s events arrive keyed by ticket id, in order, as versioned CloudEvents with the stored event ids', async () => {
    const partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    const support = new TicketClient(t, t.tokens.support);
    const { ticketId } = await partner.file(repairRequest(UNITS.cameraReplacement));
    await support.act(ticketId, 'ship-replacement', {
      carrier: 'Yamato',
      trackingNumber: 'K-1',
      replacementSerial: 'RPL-K1',
    });

    const history = (
      await t.http.get(`/tickets/${ticketId}/history`).set('authorization', `Bearer ${t.tokens.auditor}`)
    ).body as {
      events: { eventId: string; type: string }[];
    };
    expect(history.events.map((e) => e.type)).toEqual([
      'RepairRequested',
      'WarrantyAssessed',
      'Escalated',
      'ReplacementShipped',
    ]);

    const received = (await consumeUntil(topic.name, 4, { timeoutMs: 30_000 })).filter(
      (m) => m.key === ticketId,
    );
    expect(received.map((m) => m.headers['ce_id'])).toEqual(history.events.map((e) => e.eventId));
    expect(received.map((m) => m.headers['ce_type'])).toEqual([
      expect.stringMatching(/repair-requested\.v1$/),
      expect.stringMatching(/warranty-assessed\.v1$/),
      expect.stringMatching(/escalated\.v1$/),
      expect.stringMatching(/replacement-shipped\.v1$/),
    ]);
    for (const m of received) {
      expect(m.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_subject: ticketId,
        'content-type': 'application/json',
      });
      expect(m.body).toMatchObject({ ticketId, partnerId: PARTNER_A });
    }
    expect(new Set(received.map((m) => m.partition)).size).toBe(1);
  });

  it('an independent client (kcat) reads the same keyed message', () => {
    const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
    const out = execFileSync(
      'kcat',
      ['-C', '-b', brokers, '-t', topic.name, '-o', 'beginning', '-e', '-q', '-f', '%k %h\\n'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(out).toMatch(/ce_type=[^,\s]*replacement-shipped\.v1/);
  });

  it('/health reports the relay', async () => {
    const res = await t.http.get('/health');
    // Exactly the four ticket events of the first test (reference data is not published), up to the last event.
    const [last] = await t.sql<{ p: string }>(
      `SELECT max(global_position) AS p FROM "${t.schemas.events}".events`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(res.body.relay).toMatchObject({
      status: 'ok',
      state: 'running',
      caughtUp: true,
      published: 4,
      checkpoint: Number(last?.p),
      lastError: null,
    });
  });
});
