import { daysAgo } from '../support/dates';
import {
  loadReferenceData,
  PARTNER_A,
  registerUnit,
  repairRequest,
  type UnitFixture,
  UNITS,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { TicketClient } from './ticket-client';

/** Issue #13: one open ticket per unit; another filing for it is refused while work on the first remains. */
describe('one open ticket per unit (server)', () => {
  let t: TestApp;
  const partner = (): [string, string] => ['authorization', `Bearer ${t.tokens.partner(PARTNER_A)}`];
  const support = (): [string, string] => ['authorization', `Bearer ${t.tokens.support}`];
  const fileFor = (unit: UnitFixture) =>
    t.http
      .post('/tickets')
      .set(...partner())
      .send(repairRequest(unit));
  const ticketsOf = async (serial: string): Promise<number> =>
    Number(
      (
        await t.sql<{ n: string }>(
          `SELECT count(*) AS n FROM "${t.schemas.events}".events WHERE type = 'RepairRequested' AND data->'unit'->>'serialNumber' = $1`,
          [serial],
        )
      )[0]?.n,
    );

  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
  });
  afterAll(async () => t?.close());

  it('a second filing while the first is open is 409 naming the open ticket, and stores nothing', async () => {
    const unit = await registerUnit(t, UNITS.cameraReplacement, 'second');
    const first = await fileFor(unit);
    expect(first.status).toBe(201);
    const again = await fileFor(unit);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'open_ticket_exists', openTicketId: first.body.ticketId });
    expect(again.headers.location).toBe(`/tickets/${first.body.ticketId}`);
    expect(await ticketsOf(unit.serialNumber)).toBe(1);
  });

  it('eight different filings for one unit at once: exactly one ticket, the others told which', async () => {
    const unit = await registerUnit(t, UNITS.cameraPickup, 'race');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.http
          .post('/tickets')
          .set(...partner())
          .send(repairRequest(unit, { failureDescription: `double submit ${i}` })),
      ),
    );
    const filed = answers.filter((a) => a.status === 201);
    expect(filed).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => a.status)).toEqual(Array(7).fill(409));
    for (const r of refused) expect(r.body.openTicketId).toBe(filed[0]!.body.ticketId);
    expect(await ticketsOf(unit.serialNumber)).toBe(1);
  });

  it('support may file over an open ticket with a reason, recorded in the claim; a partner may not', async () => {
    const unit = await registerUnit(t, UNITS.recorderYear1, 'override');
    const first = await fileFor(unit);
    const byPartner = await t.http
      .post('/tickets')
      .set(...partner())
      .send({ ...repairRequest(unit), overrideOpenTicket: { reason: 'second recorder fault' } });
    expect(byPartner.status).toBe(403);
    const bySupport = await t.http
      .post('/tickets')
      .set(...support())
      .send({
        ...repairRequest(unit),
        partnerId: PARTNER_A,
        overrideOpenTicket: { reason: 'HDD and PSU failed separately' },
      });
    expect(bySupport.status).toBe(201);
    expect(bySupport.body.partnerId).toBe(PARTNER_A);
    const claims = await t.sql<{ data: { ticketId: string; override: unknown; by: string } }>(
      `SELECT data FROM "${t.schemas.events}".events WHERE stream = $1 ORDER BY revision`,
      [`unit-tickets-${unit.serialNumber}`],
    );
    expect(claims.map((c) => c.data)).toEqual([
      expect.objectContaining({ ticketId: first.body.ticketId, override: null }),
      expect.objectContaining({
        ticketId: bySupport.body.ticketId,
        override: { reason: 'HDD and PSU failed separately', openTicketId: first.body.ticketId },
        by: expect.stringContaining('support'),
      }),
    ]);
  });

  it('once the open ticket is cancelled or closed the unit may be filed again, not while work remains', async () => {
    const unit = await registerUnit(t, UNITS.cameraReplacement, 'again');
    const asPartner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    const asSupport = new TicketClient(t, t.tokens.support);
    const first = await fileFor(unit);
    await asPartner.act(first.body.ticketId, 'cancel-ticket', { reason: 'filed by mistake' });
    const second = await fileFor(unit);
    expect(second.status).toBe(201);
    const ship = { carrier: 'Yamato', trackingNumber: '5-1' };
    await asSupport.act(second.body.ticketId, 'ship-replacement', {
      ...ship,
      replacementSerial: 'RPL-AGAIN',
    });
    await asPartner.act(second.body.ticketId, 'confirm-replacement-delivered', { deliveredOn: daysAgo(0) });
    // Awaiting the failed unit's return: work remains, so the unit is still taken.
    expect((await fileFor(unit)).status).toBe(409);
    await asPartner.act(second.body.ticketId, 'return-failed-unit', ship);
    await asSupport.act(second.body.ticketId, 'close-ticket', { note: 'exchange complete' });
    const third = await fileFor(unit);
    expect(third.status).toBe(201);
    expect(await ticketsOf(unit.serialNumber)).toBe(3);
  });
});
