import { daysAgo, yearsAgo } from '../support/dates';
import { loadReferenceData, PARTNER_A, PARTNER_B, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { type TicketBody, TicketClient } from './ticket-client';

/** Every leaf of a JSON value with its path, so a test can say which field carried what. */
function leaves(value: unknown, path = '$'): { path: string; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [{ path, value }];
}

/** The fields of a response whose value is one of `forbidden` (empty when nothing leaks). */
const carrying = (body: unknown, forbidden: readonly unknown[]): string[] =>
  leaves(body)
    .filter((l) => forbidden.includes(l.value))
    .map((l) => `${l.path} = ${String(l.value)}`);

/**
 * A unit i-PRO sold to partner A, serviced by partner B: B's tickets carry facts from A's records (the sale, A's
 * Partners Circle membership). Field by field, B sees none of them, A sees none of B's tickets, staff see all.
 */
describe('partner isolation of the warranty and ticket reads, field by field (PGlite)', () => {
  let t: TestApp;
  let filed: TicketBody;
  const unit = UNITS.cameraPickup; // sold to A, A a Partners Circle member since yearsAgo(10)
  const oldUnit = UNITS.cameraOld;
  const bDelivery = daysAgo(400);
  /** Values that only partner A's records hold. */
  const aFacts = [PARTNER_A, unit.saleDate, oldUnit.saleDate, yearsAgo(10)];
  const as = (token: string): [string, string] => ['authorization', `Bearer ${token}`];

  beforeAll(async () => {
    t = await startTestApp('pglite');
    await loadReferenceData(t);
    const b = new TicketClient(t, t.tokens.partner(PARTNER_B));
    filed = await b.file(repairRequest(unit));
    await b.file(repairRequest(oldUnit, { deliveryDate: bDelivery }));
  });
  afterAll(async () => t?.close());

  it('the filing answer shows the filing partner no fact of the seller’s records', () => {
    expect(carrying(filed, aFacts)).toEqual([]);
    expect(filed.unit).toMatchObject({ soldToPartnerId: null, saleDate: null, soldInJapan: null });
    expect(filed.assessment).toMatchObject({ basis: { membership: null } });
  });

  it('ticket detail: the filing partner sees its decision, not the seller’s sale or membership', async () => {
    const res = await t.http.get(`/tickets/${filed.ticketId}`).set(...as(t.tokens.partner(PARTNER_B)));
    expect(res.status).toBe(200);
    expect(carrying(res.body, aFacts)).toEqual([]);
    expect(res.body.coverage).toBe('partners_circle_extension');
    expect(res.body.unit).toMatchObject({
      serialNumber: unit.serialNumber,
      soldToPartnerId: null,
      saleDate: null,
    });
    expect(res.body.assessment.basis.membership).toBeNull();
  });

  it('ticket history: no event shows the filing partner the seller’s facts', async () => {
    const res = await t.http
      .get(`/tickets/${filed.ticketId}/history`)
      .set(...as(t.tokens.partner(PARTNER_B)));
    expect(res.status).toBe(200);
    expect(carrying(res.body, aFacts)).toEqual([]);
    const requested = (res.body.events as { type: string; data: Record<string, unknown> }[]).find(
      (e) => e.type === 'RepairRequested',
    );
    expect(requested?.data).toMatchObject({ membership: null, unit: { soldToPartnerId: null } });
  });

  it('staff see the facts the decision rested on', async () => {
    const detail = await t.http.get(`/tickets/${filed.ticketId}`).set(...as(t.tokens.support));
    expect(detail.body.unit).toMatchObject({ soldToPartnerId: PARTNER_A, saleDate: unit.saleDate });
    expect(detail.body.assessment.basis.membership).toMatchObject({
      partnerId: PARTNER_A,
      memberAtSaleDate: true,
    });
    const history = await t.http.get(`/tickets/${filed.ticketId}/history`).set(...as(t.tokens.auditor));
    expect(carrying(history.body, [PARTNER_A]).length).toBeGreaterThan(0);
  });

  it('warranty status for the servicing partner: its own ticket’s delivery date, no sale, no membership', async () => {
    const res = await t.http.get(`/warranty/${oldUnit.serialNumber}`).set(...as(t.tokens.partner(PARTNER_B)));
    expect(res.status).toBe(200);
    expect(carrying(res.body, aFacts)).toEqual([]);
    expect(res.body).toMatchObject({
      deliveryDate: bDelivery,
      deliveryDateSource: 'latest_ticket',
      sale: null,
      membership: null,
    });
    expect((res.body.pastTickets as unknown[]).length).toBe(1);
  });

  it('warranty status for the selling partner: its sale and membership, never the other partner’s tickets', async () => {
    const a = as(t.tokens.partner(PARTNER_A));
    const list = await t.http
      .get('/tickets')
      .query({ partnerId: PARTNER_B })
      .set(...as(t.tokens.support));
    const bTickets = (list.body.items as { ticketId: string }[]).map((i) => i.ticketId);
    const bFacts = [PARTNER_B, bDelivery, ...bTickets];
    // A has no ticket on this serial: the delivery date of B's ticket is not A's to use.
    const without = await t.http.get(`/warranty/${oldUnit.serialNumber}`).set(...a);
    expect(without.status).toBe(400);
    expect(without.body.field).toBe('deliveryDate');
    expect(carrying(without.body, bFacts)).toEqual([]);
    const res = await t.http
      .get(`/warranty/${oldUnit.serialNumber}`)
      .query({ deliveryDate: oldUnit.deliveryDate })
      .set(...a);
    expect(res.status).toBe(200);
    expect(carrying(res.body, bFacts)).toEqual([]);
    expect(res.body).toMatchObject({
      deliveryDateSource: 'query',
      sale: { partnerId: PARTNER_A, saleDate: oldUnit.saleDate },
      membership: { partnerId: PARTNER_A },
      pastTickets: [],
    });
  });

  it('a partner with neither a sale nor a ticket of the serial gets 404, like an unknown serial', async () => {
    const res = await t.http
      .get(`/warranty/${UNITS.recorderYear1.serialNumber}`)
      .set(...as(t.tokens.partner(PARTNER_B)));
    const unknown = await t.http.get('/warranty/NO-SUCH-SERIAL').set(...as(t.tokens.partner(PARTNER_B)));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(unknown.body.code);
  });

  it('the ticket list shows a partner only its own tickets, whatever it filters by', async () => {
    const res = await t.http
      .get('/tickets')
      .query({ serialNumber: unit.serialNumber, partnerId: PARTNER_B })
      .set(...as(t.tokens.partner(PARTNER_A)));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});
