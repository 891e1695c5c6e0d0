import { daysAgo } from '../support/dates';
import { PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import type { TestDatabase } from '../support/test-app';
import { actionsOf, TicketClient, useTicketApp } from './ticket-client';

const ship = { carrier: 'Yamato Transport', trackingNumber: '4455-6677-8899' };

/**
 * The same scenarios on the PostgreSQL server and on embedded PGlite (the `npm start` default); what flows
 * leave in the read models (dashboard figures, a rebuild) is in repair-flows-read-models.e2e.spec.ts.
 */
describe.each<TestDatabase>(['server', 'pglite'])('repair flows over HTTP (%s)', (database) => {
  const app = useTicketApp(database);
  const auditor = (): TicketClient => new TicketClient(app.t, app.t.tokens.auditor);
  /** A ticket's event types in order, as one line: a flow's whole history compares at a glance. */
  const flow = async (id: string): Promise<string> => (await app.support.historyTypes(id)).join(' → ');

  it('① replacement: filed, auto-escalated, replacement shipped, delivered, failed unit returned, closed', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraReplacement));
    expect(filed).toMatchObject({ status: 'escalated', scheme: 'replacement', coverage: 'product_warranty' });
    expect(filed.assessment?.billing).toBe('free');
    const id = filed.ticketId;
    await app.support.act(id, 'ship-replacement', { ...ship, replacementSerial: 'RPL-0001' });
    await app.partner.act(id, 'confirm-replacement-delivered', { deliveredOn: daysAgo(0) });
    await app.partner.act(id, 'return-failed-unit', ship);
    const closed = await app.support.act(id, 'close-ticket', { note: 'exchange complete' });
    expect(closed.status).toBe('closed');
    expect(await flow(id)).toBe(
      'RepairRequested → WarrantyAssessed → Escalated → ReplacementShipped → ReplacementDelivered → FailedUnitReturned → TicketClosed',
    );
    expect((await app.partner.get(id)).status).toBe('closed');
  });

  it('② pickup repair under the Partners Circle extension: sent, received, repaired, shipped back, delivered', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraPickup));
    expect(filed).toMatchObject({
      status: 'escalated',
      scheme: 'pickup_repair',
      coverage: 'partners_circle_extension',
    });
    const id = filed.ticketId;
    await app.partner.act(id, 'send-failed-unit', ship);
    await app.support.act(id, 'receive-failed-unit', {
      receivedOn: daysAgo(0),
      serialNumber: UNITS.cameraPickup.serialNumber,
    });
    await app.support.act(id, 'complete-repair', {
      workSummary: 'replaced image sensor board',
      partsReplaced: [{ partNumber: 'PCB-1', description: 'sensor board', quantity: 1 }],
    });
    await app.support.act(id, 'ship-repaired-unit', ship);
    const delivered = await app.partner.act(id, 'confirm-repaired-unit-delivered', {
      deliveredOn: daysAgo(0),
    });
    expect(delivered.status).toBe('delivered');
    expect(await flow(id)).toBe(
      'RepairRequested → WarrantyAssessed → Escalated → FailedUnitSent → FailedUnitReceived → RepairCompleted → RepairedUnitShipped → RepairedUnitDelivered',
    );
  });

  it('③ onsite repair of a recorder in year 1 (HDD included): technician dispatched, repair done', async () => {
    const filed = await app.partner.file(
      repairRequest(UNITS.recorderYear1, { failedComponent: 'recorder_hdd' }),
    );
    expect(filed).toMatchObject({
      status: 'escalated',
      scheme: 'onsite_repair',
      coverage: 'product_warranty',
    });
    const id = filed.ticketId;
    const dispatched = await app.support.act(id, 'dispatch-onsite', {
      technicianName: '佐藤 技師',
      visitDate: daysAgo(0),
      parts: [{ partNumber: 'HDD-4TB', description: 'surveillance HDD', quantity: 1 }],
    });
    expect(dispatched.status).toBe('onsite_dispatched');
    const done = await app.support.act(id, 'complete-onsite-repair', {
      completedOn: daysAgo(0),
      workSummary: 'HDD replaced',
    });
    expect(done.status).toBe('onsite_completed');
    expect(await app.support.historyTypes(id)).toContain('OnsiteDispatched');
  });

  it('paid path: out of warranty → quote issued with separate lines → accepted → the pickup repair goes on', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraOld));
    expect(filed).toMatchObject({ coverage: 'out_of_warranty', status: 'awaiting_quote' });
    expect(filed.assessment?.billing).toBe('chargeable');
    const id = filed.ticketId;
    expect(actionsOf(filed)).not.toContain('send-failed-unit');
    const quoted = await app.support.act(id, 'issue-quote', {
      quoteId: 'Q-1',
      lines: [
        { kind: 'repair', description: '修理 (repair)', amountJpy: 25000 },
        { kind: 'parts', description: 'lens unit', amountJpy: 8000 },
      ],
    });
    expect(quoted.status).toBe('awaiting_quote_decision');
    expect(quoted.quotes[0]?.totalJpy).toBe(33000);
    const accepted = await app.partner.act(id, 'accept-quote', { quoteId: 'Q-1' });
    expect(accepted.status).toBe('escalated');
    expect(actionsOf(accepted)).toContain('send-failed-unit');
  });

  it('paid path: a declined quote ends without repair', async () => {
    // One open ticket per unit: the accepted quote's ticket of cameraOld is still open.
    const { ticketId: id } = await app.partner.file(
      repairRequest(await registerUnit(app.t, UNITS.cameraOld, 'declined')),
    );
    await app.support.act(id, 'issue-quote', {
      quoteId: 'Q-2',
      lines: [{ kind: 'repair', description: 'repair', amountJpy: 30000 }],
    });
    const declined = await app.partner.act(id, 'decline-quote', {
      quoteId: 'Q-2',
      reason: 'end user buys a new camera',
    });
    expect(declined.status).toBe('quote_declined');
    expect((await app.support.act(id, 'close-ticket', {})).status).toBe('closed');
  });

  it('proof later: held as awaiting proof, escalated once the delivery slip arrives', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraReplacement, { proofOfDelivery: null }));
    expect(filed.status).toBe('awaiting_proof');
    expect(actionsOf(filed)).toEqual(
      expect.arrayContaining(['submit-proof-of-delivery', 'proceed-without-proof']),
    );
    const proven = await app.partner.act(filed.ticketId, 'submit-proof-of-delivery', {
      proof: { kind: 'delivery_slip', reference: 'DS-LATE-1' },
      deliveryDate: UNITS.cameraReplacement.deliveryDate,
    });
    expect(proven).toMatchObject({ status: 'escalated', scheme: 'replacement' });
    expect(proven.assessment?.billing).toBe('free');
  });

  it('proceeding without proof makes the repair chargeable', async () => {
    const unit = await registerUnit(app.t, UNITS.cameraReplacement, 'no-proof');
    const filed = await app.partner.file(repairRequest(unit, { proofOfDelivery: null }));
    const went = await app.partner.act(filed.ticketId, 'proceed-without-proof', {});
    expect(went.assessment?.billing).toBe('chargeable');
    expect(went.status).toBe('awaiting_quote');
  });

  it('an illegal move is refused with 409 and nothing is stored', async () => {
    const { ticketId: id, revision } = await app.partner.file(repairRequest(UNITS.cameraPickup));
    const res = await app.t.http
      .post(`/tickets/${id}/ship-replacement`)
      .set('authorization', `Bearer ${app.t.tokens.support}`)
      .send({ ...ship, replacementSerial: 'X' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'illegal_transition' });
    expect((await app.support.get(id)).revision).toBe(revision);
  });

  it('auditors read the state as of a past time', async () => {
    const filed = await app.partner.file(
      repairRequest(await registerUnit(app.t, UNITS.cameraReplacement, 'as-of')),
    );
    // The instant comes from the store (recorded_at is the database's clock, not this process's): the as-of
    // exactly at the last event before shipping.
    const before = (await auditor().history(filed.ticketId)).at(-1)!.recordedAt;
    await new Promise((r) => setTimeout(r, 20));
    await app.support.act(filed.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-ASOF' });
    const res = await app.t.http
      .get(`/tickets/${filed.ticketId}/as-of`)
      .query({ at: before })
      .set('authorization', `Bearer ${app.t.tokens.auditor}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      revision: 2,
      lastEventType: 'Escalated',
      ticket: { status: 'escalated' },
    });
    expect((await app.support.get(filed.ticketId)).status).toBe('in_transit_to_partner');
  });

  it('as-of at an event boundary includes that event; a millisecond earlier does not; before the first event is 404', async () => {
    const filed = await app.partner.file(
      repairRequest(await registerUnit(app.t, UNITS.cameraReplacement, 'edge')),
    );
    await new Promise((r) => setTimeout(r, 20));
    await app.support.act(filed.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-EDGE' });
    const at = (await auditor().history(filed.ticketId)).map((e) => e.recordedAt);
    // The filing's three events share one transaction, hence one instant; the shipping came 20 ms later.
    expect(new Set(at.slice(0, 3)).size).toBe(1);
    const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
    const asOf = (instant: string) =>
      app.t.http
        .get(`/tickets/${filed.ticketId}/as-of`)
        .query({ at: instant })
        .set('authorization', `Bearer ${app.t.tokens.auditor}`);
    const cases: [string, number, string | null][] = [
      [at[3]!, 3, 'ReplacementShipped'],
      [shift(at[3]!, -1), 2, 'Escalated'],
      [at[0]!, 2, 'Escalated'],
      [shift(at[0]!, -1), 404, null],
      ['2000-01-01', 404, null],
    ];
    for (const [instant, revision, type] of cases) {
      const res = await asOf(instant);
      if (type === null) {
        expect({ instant, status: res.status, code: res.body.code as unknown }).toEqual({
          instant,
          status: 404,
          code: 'ticket_not_found',
        });
      } else {
        expect({ instant, status: res.status }).toEqual({ instant, status: 200 });
        expect(res.body).toMatchObject({ revision, lastEventType: type, ticket: { revision } });
      }
    }
  });

  it('the warranty status of a serial shows coverage, both periods and past tickets', async () => {
    const unit = await registerUnit(app.t, UNITS.cameraPickup, 'status');
    const filed = await app.partner.file(repairRequest(unit));
    const res = await app.t.http
      .get(`/warranty/${unit.serialNumber}`)
      .set('authorization', `Bearer ${app.t.tokens.partner(PARTNER_A)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      coverage: 'partners_circle_extension',
      deliveryDate: unit.deliveryDate,
      deliveryDateSource: 'latest_ticket',
    });
    expect(res.body.periods.productWarranty.start).toBe(unit.deliveryDate);
    expect(res.body.pastTickets).toEqual([
      {
        ticketId: filed.ticketId,
        status: 'escalated',
        scheme: 'pickup_repair',
        coverage: 'partners_circle_extension',
        requestedAt: filed.openedAt,
      },
    ]);
  });
});
