import { loadReferenceData, PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { TicketClient } from './ticket-client';

/**
 * Issue #12: calendar days are Japan days whatever the hour. `npm test` runs this file (with the unit and e2e
 * tiers) again with the clock pinned at 23:30 and at 00:30 in Japan (test/clock/run-at.js), where a UTC day
 * would be one day off. The expected day comes from the platform's time zone database (Intl, Asia/Tokyo): an
 * oracle independent of the +9 h arithmetic in the domain's calendar and in test/support/dates.ts.
 */
const japanDay = (): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/** The Japan day around an action; both ends when the action straddles midnight in Japan. */
async function around<T>(action: () => Promise<T>): Promise<{ result: T; days: string[] }> {
  const before = japanDay();
  const result = await action();
  return { result, days: [...new Set([before, japanDay()])] };
}

describe('calendar days are Japan days at any hour (server)', () => {
  let t: TestApp;
  let partner: TicketClient;
  let support: TicketClient;
  const ship = { carrier: 'Yamato Transport', trackingNumber: '1-2-3' };

  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
    partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    support = new TicketClient(t, t.tokens.support);
  });
  afterAll(async () => t?.close());

  it('a request filed now is dated Japan’s today, and a failure today is not "in the future"', async () => {
    const { result, days } = await around(() =>
      partner.file(repairRequest(UNITS.cameraPickup, { failureDate: japanDay() })),
    );
    expect(days).toContain(result.assessment?.requestDate);
    const summary = await t.sql<{ request_date: string }>(
      `SELECT details::json->'assessment'->>'requestDate' AS request_date FROM "${t.schemas.readModels}".ticket_summary WHERE ticket_id = $1`,
      [result.ticketId],
    );
    expect(days).toContain(summary[0]?.request_date);
  });

  it('a unit sent today in Japan can be received today in Japan', async () => {
    const unit = await registerUnit(t, UNITS.cameraPickup, 'receive'); // the first test's ticket is open
    const filed = await partner.file(repairRequest(unit));
    await partner.act(filed.ticketId, 'send-failed-unit', ship);
    const received = await support.act(filed.ticketId, 'receive-failed-unit', {
      receivedOn: japanDay(),
      serialNumber: unit.serialNumber,
    });
    expect(received.status).toBe('failed_unit_received');
  });

  it('a quote valid until Japan’s today is issued and can be accepted today', async () => {
    const filed = await partner.file(repairRequest(UNITS.cameraOld));
    await support.act(filed.ticketId, 'issue-quote', {
      quoteId: 'Q-TODAY',
      lines: [{ kind: 'repair', description: 'repair', amountJpy: 10000 }],
      validUntil: japanDay(),
    });
    const accepted = await partner.act(filed.ticketId, 'accept-quote', { quoteId: 'Q-TODAY' });
    expect(accepted.status).toBe('escalated');
  });

  it('the warranty status is computed as of Japan’s today', async () => {
    const { result: res, days } = await around(() =>
      t.http
        .get(`/warranty/${UNITS.cameraPickup.serialNumber}`)
        .set('authorization', `Bearer ${t.tokens.support}`),
    );
    expect(res.status).toBe(200);
    expect(days).toContain((res.body as { asOf: string }).asOf);
  });
});
