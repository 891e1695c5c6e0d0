import { registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { useTicketApp } from './ticket-client';

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
  const app = useTicketApp('server');
  const ship = { carrier: 'Yamato Transport', trackingNumber: '1-2-3' };

  it('a request filed now is dated Japan’s today, and a failure today is not "in the future"', async () => {
    const { result, days } = await around(() =>
      app.partner.file(repairRequest(UNITS.cameraPickup, { failureDate: japanDay() })),
    );
    expect(days).toContain(result.assessment?.requestDate);
    const summary = await app.t.sql<{ request_date: string }>(
      `SELECT details::json->'assessment'->>'requestDate' AS request_date FROM "${app.t.schemas.readModels}".ticket_summary WHERE ticket_id = $1`,
      [result.ticketId],
    );
    expect(days).toContain(summary[0]?.request_date);
  });

  it('a unit sent today in Japan can be received today in Japan', async () => {
    const unit = await registerUnit(app.t, UNITS.cameraPickup, 'receive'); // the first test's ticket is open
    const filed = await app.partner.file(repairRequest(unit));
    await app.partner.act(filed.ticketId, 'send-failed-unit', ship);
    const received = await app.support.act(filed.ticketId, 'receive-failed-unit', {
      receivedOn: japanDay(),
      serialNumber: unit.serialNumber,
    });
    expect(received.status).toBe('failed_unit_received');
  });

  it('a quote valid until Japan’s today is issued and can be accepted today', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraOld));
    await app.support.act(filed.ticketId, 'issue-quote', {
      quoteId: 'Q-TODAY',
      lines: [{ kind: 'repair', description: 'repair', amountJpy: 10000 }],
      validUntil: japanDay(),
    });
    const accepted = await app.partner.act(filed.ticketId, 'accept-quote', { quoteId: 'Q-TODAY' });
    expect(accepted.status).toBe('escalated');
  });

  it('the warranty status is computed as of Japan’s today', async () => {
    const { result: res, days } = await around(() =>
      app.t.http
        .get(`/warranty/${UNITS.cameraPickup.serialNumber}`)
        .set('authorization', `Bearer ${app.t.tokens.support}`),
    );
    expect(res.status).toBe(200);
    expect(days).toContain((res.body as { asOf: string }).asOf);
  });
});
