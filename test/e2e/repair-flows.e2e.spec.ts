import { daysAgo } from '../support/dates';
import { loadReferenceData, PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp, type TestDatabase } from '../support/test-app';
import { actionsOf, TicketClient } from './ticket-client';

const ship = { carrier: 'Yamato Transport', trackingNumber: '4455-6677-8899' };

/** The same scenarios on the PostgreSQL server and on embedded PGlite (the `npm start` default). */
describe.each<TestDatabase>(['server', 'pglite'])('repair flows over HTTP (%s)', (database) => {
  let t: TestApp;
  let partner: TicketClient;
  let support: TicketClient;

  beforeAll(async () => {
    t = await startTestApp(database);
    await loadReferenceData(t);
    partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    support = new TicketClient(t, t.tokens.support);
  });
  afterAll(async () => t?.close());

  it('① replacement: filed, auto-escalated, replacement shipped, delivered, failed unit returned, closed', async () => {
    const filed = await partner.file(repairRequest(UNITS.cameraReplacement));
    expect(filed).toMatchObject({ status: 'escalated', scheme: 'replacement', coverage: 'product_warranty' });
    expect(filed.assessment?.billing).toBe('free');
    const id = filed.ticketId;
    await support.act(id, 'ship-replacement', { ...ship, replacementSerial: 'RPL-0001' });
    await partner.act(id, 'confirm-replacement-delivered', { deliveredOn: daysAgo(0) });
    await partner.act(id, 'return-failed-unit', ship);
    const closed = await support.act(id, 'close-ticket', { note: 'exchange complete' });
    expect(closed.status).toBe('closed');
    expect(await support.historyTypes(id)).toEqual([
      'RepairRequested',
      'WarrantyAssessed',
      'Escalated',
      'ReplacementShipped',
      'ReplacementDelivered',
      'FailedUnitReturned',
      'TicketClosed',
    ]);
    expect((await partner.get(id)).status).toBe('closed');
  });

  it('② pickup repair under the Partners Circle extension: sent, received, repaired, shipped back, delivered', async () => {
    const filed = await partner.file(repairRequest(UNITS.cameraPickup));
    expect(filed).toMatchObject({
      status: 'escalated',
      scheme: 'pickup_repair',
      coverage: 'partners_circle_extension',
    });
    const id = filed.ticketId;
    await partner.act(id, 'send-failed-unit', ship);
    await support.act(id, 'receive-failed-unit', {
      receivedOn: daysAgo(0),
      serialNumber: UNITS.cameraPickup.serialNumber,
    });
    await support.act(id, 'complete-repair', {
      workSummary: 'replaced image sensor board',
      partsReplaced: [{ partNumber: 'PCB-1', description: 'sensor board', quantity: 1 }],
    });
    await support.act(id, 'ship-repaired-unit', ship);
    const delivered = await partner.act(id, 'confirm-repaired-unit-delivered', { deliveredOn: daysAgo(0) });
    expect(delivered.status).toBe('delivered');
    expect(await support.historyTypes(id)).toEqual([
      'RepairRequested',
      'WarrantyAssessed',
      'Escalated',
      'FailedUnitSent',
      'FailedUnitReceived',
      'RepairCompleted',
      'RepairedUnitShipped',
      'RepairedUnitDelivered',
    ]);
  });

  it('③ onsite repair of a recorder in year 1 (HDD included): technician dispatched, repair done', async () => {
    const filed = await partner.file(repairRequest(UNITS.recorderYear1, { failedComponent: 'recorder_hdd' }));
    expect(filed).toMatchObject({
      status: 'escalated',
      scheme: 'onsite_repair',
      coverage: 'product_warranty',
    });
    const id = filed.ticketId;
    const dispatched = await support.act(id, 'dispatch-onsite', {
      technicianName: '佐藤 技師',
      visitDate: daysAgo(0),
      parts: [{ partNumber: 'HDD-4TB', description: 'surveillance HDD', quantity: 1 }],
    });
    expect(dispatched.status).toBe('onsite_dispatched');
    const done = await support.act(id, 'complete-onsite-repair', {
      completedOn: daysAgo(0),
      workSummary: 'HDD replaced',
    });
    expect(done.status).toBe('onsite_completed');
    expect(await support.historyTypes(id)).toContain('OnsiteDispatched');
  });

  it('paid path: out of warranty → quote issued with separate lines → accepted → the pickup repair goes on', async () => {
    const filed = await partner.file(repairRequest(UNITS.cameraOld));
    expect(filed).toMatchObject({ coverage: 'out_of_warranty', status: 'awaiting_quote' });
    expect(filed.assessment?.billing).toBe('chargeable');
    const id = filed.ticketId;
    expect(actionsOf(filed)).not.toContain('send-failed-unit');
    const quoted = await support.act(id, 'issue-quote', {
      quoteId: 'Q-1',
      lines: [
        { kind: 'repair', description: '修理 (repair)', amountJpy: 25000 },
        { kind: 'parts', description: 'lens unit', amountJpy: 8000 },
      ],
    });
    expect(quoted.status).toBe('awaiting_quote_decision');
    expect(quoted.quotes[0]?.totalJpy).toBe(33000);
    const accepted = await partner.act(id, 'accept-quote', { quoteId: 'Q-1' });
    expect(accepted.status).toBe('escalated');
    expect(actionsOf(accepted)).toContain('send-failed-unit');
  });

  it('paid path: a declined quote ends without repair', async () => {
    // One open ticket per unit: the accepted quote's ticket of cameraOld is still open.
    const { ticketId: id } = await partner.file(
      repairRequest(await registerUnit(t, UNITS.cameraOld, 'declined')),
    );
    await support.act(id, 'issue-quote', {
      quoteId: 'Q-2',
      lines: [{ kind: 'repair', description: 'repair', amountJpy: 30000 }],
    });
    const declined = await partner.act(id, 'decline-quote', {
      quoteId: 'Q-2',
      reason: 'end user buys a new camera',
    });
    expect(declined.status).toBe('quote_declined');
    expect((await support.act(id, 'close-ticket', {})).status).toBe('closed');
  });

  it('proof later: held as awaiting proof, escalated once the delivery slip arrives', async () => {
    const filed = await partner.file(repairRequest(UNITS.cameraReplacement, { proofOfDelivery: null }));
    expect(filed.status).toBe('awaiting_proof');
    expect(actionsOf(filed)).toEqual(
      expect.arrayContaining(['submit-proof-of-delivery', 'proceed-without-proof']),
    );
    const proven = await partner.act(filed.ticketId, 'submit-proof-of-delivery', {
      proof: { kind: 'delivery_slip', reference: 'DS-LATE-1' },
      deliveryDate: UNITS.cameraReplacement.deliveryDate,
    });
    expect(proven).toMatchObject({ status: 'escalated', scheme: 'replacement' });
    expect(proven.assessment?.billing).toBe('free');
  });

  it('proceeding without proof makes the repair chargeable', async () => {
    const unit = await registerUnit(t, UNITS.cameraReplacement, 'no-proof');
    const filed = await partner.file(repairRequest(unit, { proofOfDelivery: null }));
    const went = await partner.act(filed.ticketId, 'proceed-without-proof', {});
    expect(went.assessment?.billing).toBe('chargeable');
    expect(went.status).toBe('awaiting_quote');
  });

  it('an illegal move is refused with 409 and nothing is stored', async () => {
    const { ticketId: id, revision } = await partner.file(repairRequest(UNITS.cameraPickup));
    const res = await t.http
      .post(`/tickets/${id}/ship-replacement`)
      .set('authorization', `Bearer ${t.tokens.support}`)
      .send({ ...ship, replacementSerial: 'X' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'illegal_transition' });
    expect((await support.get(id)).revision).toBe(revision);
  });

  it('auditors read the state as of a past time', async () => {
    const filed = await partner.file(repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'as-of')));
    // The instant comes from the store (recorded_at is the database's clock, not this process's): the as-of
    // exactly at the last event before shipping.
    const history = await t.http
      .get(`/tickets/${filed.ticketId}/history`)
      .set('authorization', `Bearer ${t.tokens.auditor}`);
    const before = (history.body.events as { recordedAt: string }[]).at(-1)!.recordedAt;
    await new Promise((r) => setTimeout(r, 20));
    await support.act(filed.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-ASOF' });
    const res = await t.http
      .get(`/tickets/${filed.ticketId}/as-of`)
      .query({ at: before })
      .set('authorization', `Bearer ${t.tokens.auditor}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      revision: 2,
      lastEventType: 'Escalated',
      ticket: { status: 'escalated' },
    });
    expect((await support.get(filed.ticketId)).status).toBe('in_transit_to_partner');
  });

  it('as-of at an event boundary includes that event; a millisecond earlier does not; before the first event is 404', async () => {
    const filed = await partner.file(repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'edge')));
    await new Promise((r) => setTimeout(r, 20));
    await support.act(filed.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-EDGE' });
    const history = await t.http
      .get(`/tickets/${filed.ticketId}/history`)
      .set('authorization', `Bearer ${t.tokens.auditor}`);
    const at = (history.body.events as { recordedAt: string }[]).map((e) => e.recordedAt);
    // The filing's three events share one transaction, hence one instant; the shipping came 20 ms later.
    expect(new Set(at.slice(0, 3)).size).toBe(1);
    const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
    const asOf = (instant: string) =>
      t.http
        .get(`/tickets/${filed.ticketId}/as-of`)
        .query({ at: instant })
        .set('authorization', `Bearer ${t.tokens.auditor}`);
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
    const unit = await registerUnit(t, UNITS.cameraPickup, 'status');
    const filed = await partner.file(repairRequest(unit));
    const res = await t.http
      .get(`/warranty/${unit.serialNumber}`)
      .set('authorization', `Bearer ${t.tokens.partner(PARTNER_A)}`);
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

  it('the dashboard summarises open tickets per scheme and status, onsite visits and replacements in transit', async () => {
    type Summary = {
      openTotal: number;
      openTickets: { scheme: string; status: string; count: number }[];
      aging: { bucket: string; count: number }[];
      meanTimeToResolution: { scheme: string; closed: number }[];
      replacementsInTransit: number;
      onsiteVisitsScheduled: { count: number; byDate: { visitDate: string; count: number }[] };
    };
    const summary = async (): Promise<Summary> => {
      const res = await t.http.get('/dashboard/summary').set('authorization', `Bearer ${t.tokens.ops}`);
      expect(res.status).toBe(200);
      expect(res.body.projectionLag).toMatchObject({ eventsBehind: 0, running: true });
      return res.body as Summary;
    };
    // What three known changes do to the figures, so the check holds whatever the earlier tests left.
    const before = await summary();
    const shipped = await partner.file(repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'dash')));
    await support.act(shipped.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-DASH' });
    const visitDate = daysAgo(-3);
    const onsite = await partner.file(
      repairRequest(await registerUnit(t, UNITS.recorderYear1, 'dash'), { failedComponent: 'recorder_hdd' }),
    );
    await support.act(onsite.ticketId, 'dispatch-onsite', { technicianName: 'Sato', visitDate });
    const closed = await partner.file(
      repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'dash-c')),
    );
    await support.act(closed.ticketId, 'reject-repair', { reason: 'beyond_repair', detail: 'x' });
    await support.act(closed.ticketId, 'close-ticket', {});
    const after = await summary();

    const open = (s: Summary, scheme: string, status: string): number =>
      s.openTickets.find((r) => r.scheme === scheme && r.status === status)?.count ?? 0;
    const bucket = (s: Summary): number => s.aging.find((a) => a.bucket === '0-2d')?.count ?? 0;
    const visits = (s: Summary): number =>
      s.onsiteVisitsScheduled.byDate.find((v) => v.visitDate === visitDate)?.count ?? 0;
    const closedReplacements = (s: Summary): number =>
      s.meanTimeToResolution.find((m) => m.scheme === 'replacement')?.closed ?? 0;
    const delta = (f: (s: Summary) => number): number => f(after) - f(before);
    expect({
      openTotal: delta((s) => s.openTotal),
      replacementInTransit: delta((s) => open(s, 'replacement', 'in_transit_to_partner')),
      onsiteDispatched: delta((s) => open(s, 'onsite_repair', 'onsite_dispatched')),
      replacementsInTransit: delta((s) => s.replacementsInTransit),
      onsiteVisits: delta((s) => s.onsiteVisitsScheduled.count),
      visitsOnThatDay: delta(visits),
      newestAgeBucket: delta(bucket),
      closedReplacements: delta(closedReplacements),
    }).toEqual({
      openTotal: 2,
      replacementInTransit: 1,
      onsiteDispatched: 1,
      replacementsInTransit: 1,
      onsiteVisits: 1,
      visitsOnThatDay: 1,
      newestAgeBucket: 2,
      closedReplacements: 1,
    });
    expect(after.openTotal).toBe(after.openTickets.reduce((n, r) => n + r.count, 0));
    expect(after.openTotal).toBe(after.aging.reduce((n, a) => n + a.count, 0));
  });

  it('rebuilding the read models from the events yields identical tables', async () => {
    const tables = [
      'ticket_summary',
      'ticket_event',
      'partner_view',
      'unit_sale_view',
      'catalog_version_view',
    ];
    const snapshot = async (): Promise<Record<string, unknown[]>> => {
      const out: Record<string, unknown[]> = {};
      for (const table of tables) {
        out[table] = await t.sql(
          `SELECT to_jsonb(x) AS row FROM "${t.schemas.readModels}"."${table}" x ORDER BY 1`,
        );
      }
      return out;
    };
    const before = await snapshot();
    // One history row per stored ticket event, so the comparison below covers the whole history.
    const [stored] = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM "${t.schemas.events}".events WHERE stream LIKE 'ticket-%'`,
    );
    expect(before.ticket_event!.length).toBe(Number(stored?.n));
    expect(before.ticket_event!.length).toBeGreaterThan(10);
    await t.started.runtime.projections.rebuild();
    expect(await snapshot()).toEqual(before);
  });
});
