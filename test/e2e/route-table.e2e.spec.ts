import { randomUUID } from 'node:crypto';
import { sampleCatalog } from '@app/domain';
import type { NewEvent } from '@app/event-store';
import type { Response } from 'supertest';
import { daysAgo, tokyoToday, yearsAgo } from '../support/dates';
import {
  loadReferenceData,
  PARTNER_A,
  PARTNER_B,
  registerUnit,
  repairRequest,
  type UnitFixture,
  UNITS,
} from '../support/fixtures';
import { operationKeys } from '../support/route-table';
import { startTestApp, type TestApp } from '../support/test-app';
import { actionsAt, type TicketBody, TicketClient } from './ticket-client';

/**
 * Every operation of the running app's `/openapi.json` succeeds at least once, each from a scenario of its own
 * that checks what the answer says (status reached, fields of the resource), not only the HTTP status.
 *
 * The scenario table is checked against the document both ways: an operation added to the document without a
 * scenario fails the first test, and so does a scenario whose operation left the document. Each scenario calls
 * its own operation through `send`, which builds the request from the document's path template.
 */

type Key = `${'GET' | 'POST'} /${string}`;

interface Call {
  readonly token?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: object;
}
type Send = (call: Call) => Promise<Response>;

const ship = { carrier: 'Yamato Transport', trackingNumber: 'RT-4455-1' };
const today = tokyoToday();

/** Throws with the answer's body when the status is not the expected one (a plain expect hides the body). */
function expectStatus(res: Response, status: number): void {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body ?? res.text)}`);
}

describe('route table: every operation of /openapi.json succeeds once, from its own scenario (PGlite)', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, unknown>> };
  let partner: TicketClient;
  let support: TicketClient;
  const bearer = (token: string): string => `Bearer ${token}`;
  const catalog = sampleCatalog();
  let unitSeq = 0;

  beforeAll(async () => {
    // PGlite: a private database, so neighbours' open transactions on the shared server cannot stall it.
    t = await startTestApp('pglite');
    await loadReferenceData(t);
    partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    support = new TicketClient(t, t.tokens.support);
    doc = (await t.http.get('/openapi.json')).body as typeof doc;
  });
  afterAll(async () => t?.close());

  /** One open ticket per unit: each scenario files for a unit of its own. */
  const unit = (base: UnitFixture): Promise<UnitFixture> => registerUnit(t, base, `rt-${++unitSeq}`);
  const file = async (base: UnitFixture, overrides: Record<string, unknown> = {}): Promise<TicketBody> =>
    partner.file(repairRequest(await unit(base), overrides));

  /** A pickup-repair ticket whose failed unit i-PRO has received (status failed_unit_received). */
  async function receivedPickup(): Promise<TicketBody> {
    const filed = await file(UNITS.cameraPickup);
    await partner.act(filed.ticketId, 'send-failed-unit', ship);
    const serialNumber = (filed.unit as { serialNumber: string }).serialNumber;
    return support.act(filed.ticketId, 'receive-failed-unit', { receivedOn: today, serialNumber });
  }

  /** A replacement ticket whose replacement unit has been shipped (status in_transit_to_partner). */
  async function shippedReplacement(): Promise<TicketBody> {
    const filed = await file(UNITS.cameraReplacement);
    return support.act(filed.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-RT-1' });
  }

  /**
   * A ticket still in `requested`: stored as the api stored tickets before the portal escalated them on receipt
   * (RepairRequested + WarrantyAssessed, no Escalated). With the default escalation on receipt the api never
   * leaves a ticket there (every commit escalates it when it can); escalation-by-support.e2e.spec.ts runs the
   * api with PORTAL_AUTO_ESCALATE=false, where support's manual `escalate` is the normal way.
   */
  async function unescalatedTicket(): Promise<string> {
    const filed = await file(UNITS.cameraReplacement);
    const stored = await t.started.runtime.store.readStream(`ticket-${filed.ticketId}`);
    const ticketId = randomUUID();
    const events: NewEvent[] = stored
      .filter((e) => e.type === 'RepairRequested' || e.type === 'WarrantyAssessed')
      .map((e) => ({
        id: randomUUID(),
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: { ...(e.data as Record<string, NewEvent['data']>), ticketId },
        metadata: e.metadata,
      }));
    const appended = await t.started.runtime.store.appendToStream(`ticket-${ticketId}`, events, {
      expectedRevision: 'no_stream',
    });
    await t.started.runtime.projections.waitFor(appended.lastGlobalPosition, 5000);
    return ticketId;
  }

  const SCENARIOS: Readonly<Record<Key, (send: Send) => Promise<void>>> = {
    // ── ticket commands ────────────────────────────────────────────────────────────────────────────────
    'POST /tickets': async (send) => {
      const u = await unit(UNITS.cameraReplacement);
      const res = await send({ token: t.tokens.partner(PARTNER_A), body: repairRequest(u) });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({
        status: 'escalated',
        scheme: 'replacement',
        coverage: 'product_warranty',
        partnerId: PARTNER_A,
        revision: 2,
        unit: { serialNumber: u.serialNumber, modelNumber: u.modelNumber, deliveryDate: u.deliveryDate },
        assessment: { billing: 'free', quoteRequired: false },
        allowedActions: actionsAt(res.body.ticketId as string, 'cancel-ticket'),
      });
      expect(res.headers.location).toBe(`/tickets/${(res.body as TicketBody).ticketId}`);
      expect(res.headers.etag).toBe('"2"');
    },
    'POST /tickets/{id}/submit-proof-of-delivery': async (send) => {
      const u = await unit(UNITS.cameraReplacement);
      const filed = await partner.file(repairRequest(u, { proofOfDelivery: null }));
      expect(filed.status).toBe('awaiting_proof');
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: filed.ticketId },
        body: { proof: { kind: 'invoice', reference: 'INV-RT-1' }, deliveryDate: u.deliveryDate },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'escalated',
        revision: 4,
        assessment: {
          billing: 'free',
          basis: { proofOfDelivery: { kind: 'invoice', reference: 'INV-RT-1' } },
        },
      });
    },
    'POST /tickets/{id}/proceed-without-proof': async (send) => {
      const filed = await file(UNITS.cameraReplacement, { proofOfDelivery: null });
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: filed.ticketId },
        body: {},
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'awaiting_quote',
        revision: 4,
        assessment: { billing: 'chargeable', quoteRequired: true },
      });
    },
    'POST /tickets/{id}/escalate': async (send) => {
      const id = await unescalatedTicket();
      expect((await support.get(id)).status).toBe('requested');
      const res = await send({
        token: t.tokens.support,
        params: { id },
        body: { note: 'called the partner' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ status: 'escalated', revision: 2, scheme: 'replacement' });
      const history = await t.http
        .get(`/tickets/${id}/history`)
        .set('authorization', bearer(t.tokens.auditor));
      expect(
        (history.body as { events: { type: string; actor: string; data: unknown }[] }).events.at(-1),
      ).toMatchObject({
        type: 'Escalated',
        actor: 'support:tanaka',
        data: { note: 'called the partner' },
      });
    },
    'POST /tickets/{id}/ship-replacement': async (send) => {
      const filed = await file(UNITS.cameraReplacement);
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: { ...ship, replacementSerial: 'RPL-RT-2' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'in_transit_to_partner',
        revision: 3,
        shipments: { replacement: { ...ship, replacementSerial: 'RPL-RT-2', deliveredOn: null } },
      });
    },
    'POST /tickets/{id}/confirm-replacement-delivered': async (send) => {
      const shipped = await shippedReplacement();
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: shipped.ticketId },
        body: { deliveredOn: today },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'awaiting_failed_unit_return',
        shipments: { replacement: { replacementSerial: 'RPL-RT-1', deliveredOn: today } },
        allowedActions: actionsAt(shipped.ticketId, 'return-failed-unit'),
      });
    },
    'POST /tickets/{id}/return-failed-unit': async (send) => {
      const shipped = await shippedReplacement();
      await partner.act(shipped.ticketId, 'confirm-replacement-delivered', { deliveredOn: today });
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: shipped.ticketId },
        body: ship,
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'failed_unit_returned',
        shipments: { failedUnit: { ...ship, deliveredOn: null } },
      });
    },
    'POST /tickets/{id}/send-failed-unit': async (send) => {
      const filed = await file(UNITS.cameraPickup);
      expect(filed.scheme).toBe('pickup_repair');
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: filed.ticketId },
        body: ship,
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'failed_unit_in_transit',
        shipments: { failedUnit: { ...ship, deliveredOn: null } },
        allowedActions: [],
      });
    },
    'POST /tickets/{id}/receive-failed-unit': async (send) => {
      const filed = await file(UNITS.cameraPickup);
      await partner.act(filed.ticketId, 'send-failed-unit', ship);
      const serialNumber = (filed.unit as { serialNumber: string }).serialNumber;
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: { receivedOn: today, serialNumber },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'failed_unit_received',
        shipments: { failedUnit: { deliveredOn: today } },
        allowedActions: actionsAt(
          filed.ticketId,
          'record-inspection-finding',
          'complete-repair',
          'reject-repair',
        ),
      });
    },
    'POST /tickets/{id}/record-inspection-finding': async (send) => {
      const received = await receivedPickup();
      const res = await send({
        token: t.tokens.support,
        params: { id: received.ticketId },
        body: { exclusion: 'relocation_transport_or_drop', findings: 'housing cracked by a fall' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'awaiting_quote',
        exclusion: {
          exclusion: 'relocation_transport_or_drop',
          clause: 3,
          findings: 'housing cracked by a fall',
        },
        allowedActions: actionsAt(received.ticketId, 'issue-quote', 'reject-repair'),
      });
    },
    'POST /tickets/{id}/complete-repair': async (send) => {
      const received = await receivedPickup();
      const partsReplaced = [{ partNumber: 'PCB-RT', description: 'sensor board', quantity: 1 }];
      const res = await send({
        token: t.tokens.support,
        params: { id: received.ticketId },
        body: { workSummary: 'sensor board replaced', partsReplaced },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'repaired',
        repair: { workSummary: 'sensor board replaced', partsReplaced },
        allowedActions: actionsAt(received.ticketId, 'ship-repaired-unit'),
      });
    },
    'POST /tickets/{id}/ship-repaired-unit': async (send) => {
      const received = await receivedPickup();
      await support.act(received.ticketId, 'complete-repair', { workSummary: 'fixed' });
      const res = await send({ token: t.tokens.support, params: { id: received.ticketId }, body: ship });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'in_transit_to_partner',
        shipments: { repairedUnit: { ...ship, deliveredOn: null } },
      });
    },
    'POST /tickets/{id}/confirm-repaired-unit-delivered': async (send) => {
      const received = await receivedPickup();
      await support.act(received.ticketId, 'complete-repair', { workSummary: 'fixed' });
      await support.act(received.ticketId, 'ship-repaired-unit', ship);
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: received.ticketId },
        body: { deliveredOn: today },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'delivered',
        shipments: { repairedUnit: { deliveredOn: today } },
      });
    },
    'POST /tickets/{id}/return-unrepaired-unit': async (send) => {
      const received = await receivedPickup();
      const rejected = await support.act(received.ticketId, 'reject-repair', {
        reason: 'beyond_repair',
        detail: 'board burnt',
      });
      expect(rejected.allowedActions).toEqual(actionsAt(received.ticketId, 'return-unrepaired-unit'));
      const res = await send({ token: t.tokens.support, params: { id: received.ticketId }, body: ship });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'unrepaired_unit_returned',
        shipments: { unrepairedReturn: { ...ship, deliveredOn: null } },
        allowedActions: actionsAt(received.ticketId, 'close-ticket'),
      });
    },
    'POST /tickets/{id}/dispatch-onsite': async (send) => {
      const filed = await file(UNITS.recorderYear1, { failedComponent: 'recorder_hdd' });
      expect(filed.scheme).toBe('onsite_repair');
      const parts = [{ partNumber: 'HDD-4TB', description: 'surveillance HDD', quantity: 1 }];
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: { technicianName: '佐藤 技師', visitDate: today, parts },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'onsite_dispatched',
        onsite: {
          technicianName: '佐藤 技師',
          visitDate: today,
          parts,
          completedOn: null,
          workSummary: null,
        },
      });
    },
    'POST /tickets/{id}/complete-onsite-repair': async (send) => {
      const filed = await file(UNITS.recorderYear1, { failedComponent: 'recorder_hdd' });
      await support.act(filed.ticketId, 'dispatch-onsite', { technicianName: 'Sato', visitDate: today });
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: { completedOn: today, workSummary: 'HDD replaced' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'onsite_completed',
        onsite: { technicianName: 'Sato', completedOn: today, workSummary: 'HDD replaced' },
        allowedActions: actionsAt(filed.ticketId, 'close-ticket'),
      });
    },
    'POST /tickets/{id}/issue-quote': async (send) => {
      const filed = await file(UNITS.cameraOld);
      expect(filed.status).toBe('awaiting_quote');
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: {
          quoteId: 'Q-RT-1',
          lines: [
            { kind: 'repair', description: 'repair', amountJpy: 25000 },
            { kind: 'parts', description: 'lens unit', amountJpy: 8000 },
          ],
          validUntil: daysAgo(-30),
        },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'awaiting_quote_decision',
        quotes: [
          {
            quoteId: 'Q-RT-1',
            reason: 'assessment',
            totalJpy: 33000,
            validUntil: daysAgo(-30),
            status: 'issued',
          },
        ],
      });
    },
    'POST /tickets/{id}/accept-quote': async (send) => {
      const filed = await file(UNITS.cameraOld);
      await support.act(filed.ticketId, 'issue-quote', {
        quoteId: 'Q-RT-2',
        lines: [{ kind: 'repair', description: 'repair', amountJpy: 20000 }],
      });
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: filed.ticketId },
        body: { quoteId: 'Q-RT-2' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'escalated',
        quotes: [{ quoteId: 'Q-RT-2', status: 'accepted', totalJpy: 20000 }],
        allowedActions: actionsAt(filed.ticketId, 'send-failed-unit', 'cancel-ticket'),
      });
    },
    'POST /tickets/{id}/decline-quote': async (send) => {
      const filed = await file(UNITS.cameraOld);
      await support.act(filed.ticketId, 'issue-quote', {
        quoteId: 'Q-RT-3',
        lines: [{ kind: 'repair', description: 'repair', amountJpy: 30000 }],
      });
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: filed.ticketId },
        body: { quoteId: 'Q-RT-3', reason: 'end user buys a new camera' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'quote_declined',
        quotes: [{ quoteId: 'Q-RT-3', status: 'declined' }],
      });
    },
    'POST /tickets/{id}/reject-repair': async (send) => {
      const filed = await file(UNITS.cameraReplacement);
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: { reason: 'unrepairable_model', detail: 'no spare parts left' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'rejected',
        rejection: { reason: 'unrepairable_model', detail: 'no spare parts left' },
        allowedActions: actionsAt(filed.ticketId, 'close-ticket'),
      });
    },
    'POST /tickets/{id}/close-ticket': async (send) => {
      const filed = await file(UNITS.cameraReplacement);
      await support.act(filed.ticketId, 'reject-repair', { reason: 'beyond_repair', detail: 'x' });
      const res = await send({
        token: t.tokens.support,
        params: { id: filed.ticketId },
        body: { note: 'done' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ status: 'closed', revision: 4, allowedActions: [] });
      expect((res.body as { closedAt: string }).closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    },
    'POST /tickets/{id}/cancel-ticket': async (send) => {
      // By the filing partner itself (the other suites only check that another partner is refused).
      const filed = await file(UNITS.cameraReplacement);
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { id: filed.ticketId },
        body: { reason: 'the end user found the cable unplugged' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancellationReason: 'the end user found the cable unplugged',
        allowedActions: [],
      });
    },

    // ── ticket queries ─────────────────────────────────────────────────────────────────────────────────
    'GET /tickets': async (send) => {
      const filed = await file(UNITS.cameraReplacement);
      const serialNumber = (filed.unit as { serialNumber: string }).serialNumber;
      const res = await send({ token: t.tokens.support, query: { serialNumber } });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        items: [
          {
            ticketId: filed.ticketId,
            partnerId: PARTNER_A,
            serialNumber,
            modelNumber: UNITS.cameraReplacement.modelNumber,
            status: 'escalated',
            scheme: 'replacement',
            coverage: 'product_warranty',
            chargeable: false,
            requestedAt: filed.openedAt,
            updatedAt: filed.updatedAt,
            revision: 2,
          },
        ],
        nextCursor: null,
      });
    },
    'GET /tickets/{id}': async (send) => {
      const filed = await file(UNITS.cameraPickup);
      const res = await send({ token: t.tokens.partner(PARTNER_A), params: { id: filed.ticketId } });
      expectStatus(res, 200);
      expect(res.body).toEqual(filed);
      expect(res.body).toMatchObject({ status: 'escalated', coverage: 'partners_circle_extension' });
      expect(res.headers.etag).toBe('"2"');
    },
    'GET /tickets/{id}/history': async (send) => {
      const shipped = await shippedReplacement();
      const res = await send({ token: t.tokens.auditor, params: { id: shipped.ticketId } });
      expectStatus(res, 200);
      const events = (
        res.body as { ticketId: string; events: { type: string; actor: string; revision: number }[] }
      ).events;
      expect(res.body.ticketId).toBe(shipped.ticketId);
      expect(events.map((e) => [e.revision, e.type, e.actor])).toEqual([
        [0, 'RepairRequested', `partner:${PARTNER_A}`],
        [1, 'WarrantyAssessed', `partner:${PARTNER_A}`],
        [2, 'Escalated', 'system:portal'],
        [3, 'ReplacementShipped', 'support:tanaka'],
      ]);
    },
    'GET /tickets/{id}/as-of': async (send) => {
      const shipped = await shippedReplacement();
      const history = await t.http
        .get(`/tickets/${shipped.ticketId}/history`)
        .set('authorization', bearer(t.tokens.auditor));
      const at = (history.body as { events: { recordedAt: string }[] }).events.map((e) => e.recordedAt);
      const res = await send({
        token: t.tokens.auditor,
        params: { id: shipped.ticketId },
        query: { at: at[2]! },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        revision: 2,
        lastEventType: 'Escalated',
        lastEventRecordedAt: at[2],
        ticket: { ticketId: shipped.ticketId, status: 'escalated', revision: 2 },
      });
    },

    // ── reference data ─────────────────────────────────────────────────────────────────────────────────
    'POST /partners': async (send) => {
      const res = await send({
        token: t.tokens.support,
        body: { partnerId: 'P-RT-REG', name: '株式会社 経路' },
      });
      expectStatus(res, 201);
      expect(res.headers.location).toBe('/partners/P-RT-REG');
      expect(res.body).toEqual({
        partnerId: 'P-RT-REG',
        name: '株式会社 経路',
        memberships: [],
        certifiedOn: null,
        revision: 0,
      });
      expect(await partnerView('P-RT-REG')).toEqual(res.body);
    },
    'POST /partners/{partnerId}/join-partners-circle': async (send) => {
      await registerPartner('P-RT-JOIN');
      const res = await send({
        token: t.tokens.support,
        params: { partnerId: 'P-RT-JOIN' },
        body: { date: daysAgo(20) },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        partnerId: 'P-RT-JOIN',
        memberships: [{ joinedOn: daysAgo(20), leftOn: null }],
        revision: 1,
      });
      expect(await partnerView('P-RT-JOIN')).toEqual(res.body);
    },
    'POST /partners/{partnerId}/leave-partners-circle': async (send) => {
      await registerPartner('P-RT-LEAVE');
      await supportPost('/partners/P-RT-LEAVE/join-partners-circle', { date: daysAgo(20) }, 200);
      const res = await send({
        token: t.tokens.support,
        params: { partnerId: 'P-RT-LEAVE' },
        body: { date: daysAgo(5) },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        memberships: [{ joinedOn: daysAgo(20), leftOn: daysAgo(5) }],
        revision: 2,
      });
      expect(await partnerView('P-RT-LEAVE')).toEqual(res.body);
    },
    'POST /partners/{partnerId}/certify': async (send) => {
      await registerPartner('P-RT-CERT');
      const res = await send({
        token: t.tokens.support,
        params: { partnerId: 'P-RT-CERT' },
        body: { date: daysAgo(3) },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ certifiedOn: daysAgo(3), memberships: [], revision: 1 });
      expect(await partnerView('P-RT-CERT')).toEqual(res.body);
    },
    'GET /partners': async (send) => {
      const res = await send({ token: t.tokens.auditor });
      expectStatus(res, 200);
      const rows = res.body as {
        partnerId: string;
        name: string;
        memberships: unknown;
        certifiedOn: unknown;
      }[];
      const ids = rows.map((r) => r.partnerId);
      expect(ids).toEqual([...ids].sort());
      expect(rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            partnerId: PARTNER_A,
            name: 'E2E member partner',
            memberships: [{ joinedOn: yearsAgo(10), leftOn: null }],
            certifiedOn: null,
          }),
          expect.objectContaining({
            partnerId: PARTNER_B,
            name: 'E2E other partner',
            memberships: [],
            certifiedOn: null,
          }),
        ]),
      );
    },
    'GET /partners/{partnerId}': async (send) => {
      const res = await send({ token: t.tokens.ops, params: { partnerId: PARTNER_A } });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        partnerId: PARTNER_A,
        name: 'E2E member partner',
        memberships: [{ joinedOn: yearsAgo(10), leftOn: null }],
        certifiedOn: null,
        revision: 1,
      });
    },
    'POST /unit-sales': async (send) => {
      const body = {
        serialNumber: 'SN-RT-SALE',
        modelNumber: 'WV-S1136',
        partnerId: PARTNER_B,
        saleDate: daysAgo(9),
        soldInJapan: true,
      };
      const res = await send({ token: t.tokens.support, body });
      expectStatus(res, 201);
      expect(res.headers.location).toBe('/unit-sales/SN-RT-SALE');
      expect(res.body).toEqual({
        serial: 'SN-RT-SALE',
        modelNumber: 'WV-S1136',
        partnerId: PARTNER_B,
        saleDate: daysAgo(9),
        soldInJapan: true,
      });
      const read = await t.http.get('/unit-sales/SN-RT-SALE').set('authorization', bearer(t.tokens.support));
      expect(read.body).toEqual(res.body);
    },
    'GET /unit-sales/{serial}': async (send) => {
      const res = await send({
        token: t.tokens.auditor,
        params: { serial: UNITS.cameraPickup.serialNumber },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        serial: UNITS.cameraPickup.serialNumber,
        modelNumber: UNITS.cameraPickup.modelNumber,
        partnerId: PARTNER_A,
        saleDate: UNITS.cameraPickup.saleDate,
        soldInJapan: true,
      });
    },
    'POST /catalog/versions': async (send) => {
      // The full sample entries, so that later filings in this app still find their models in the catalog.
      const res = await send({
        token: t.tokens.support,
        body: { version: 'rt-post', publishedAt: '2024-01-01', entries: catalog.entries },
      });
      expectStatus(res, 201);
      expect(res.headers.location).toBe('/catalog/versions/rt-post');
      expect(res.body).toMatchObject({
        version: 'rt-post',
        publishedAt: '2024-01-01',
        entryCount: catalog.entries.length,
        entries: catalog.entries,
      });
      const read = await t.http
        .get('/catalog/versions/rt-post')
        .set('authorization', bearer(t.tokens.support));
      expect(read.body).toEqual(res.body);
    },
    'GET /catalog/versions': async (send) => {
      await supportPost(
        '/catalog/versions',
        { version: 'rt-list', publishedAt: '2024-02-01', entries: catalog.entries },
        201,
      );
      const res = await send({ token: t.tokens.partner(PARTNER_A) });
      expectStatus(res, 200);
      const rows = res.body as {
        version: string;
        publishedAt: string;
        entryCount: number;
        entries?: unknown;
      }[];
      expect(rows.map((r) => r.publishedAt)).toEqual(
        rows
          .map((r) => r.publishedAt)
          .sort()
          .reverse(),
      );
      expect(rows.find((r) => r.version === 'rt-list')).toEqual({
        version: 'rt-list',
        publishedAt: '2024-02-01',
        entryCount: catalog.entries.length,
        recordedAt: expect.any(String) as string,
      });
      expect(rows.find((r) => r.version === catalog.version)).toMatchObject({
        publishedAt: catalog.publishedAt,
        entryCount: catalog.entries.length,
      });
    },
    'GET /catalog/versions/{version}': async (send) => {
      const res = await send({ token: t.tokens.partner(PARTNER_A), params: { version: catalog.version } });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        version: catalog.version,
        publishedAt: catalog.publishedAt,
        entryCount: catalog.entries.length,
        entries: catalog.entries,
      });
    },

    // ── warranty, dashboard, operations ────────────────────────────────────────────────────────────────
    'GET /warranty/{serialNumber}': async (send) => {
      const u = UNITS.cameraPickup;
      const res = await send({
        token: t.tokens.partner(PARTNER_A),
        params: { serialNumber: u.serialNumber },
        query: { deliveryDate: u.deliveryDate },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        serialNumber: u.serialNumber,
        modelNumber: u.modelNumber,
        asOf: today,
        deliveryDate: u.deliveryDate,
        deliveryDateSource: 'query',
        coverage: 'partners_circle_extension',
        scheme: 'pickup_repair',
        catalogVersion: expect.any(String) as string,
        sale: { partnerId: PARTNER_A, saleDate: u.saleDate, soldInJapan: true },
        membership: { partnerId: PARTNER_A, saleDate: u.saleDate, memberAtSaleDate: true },
        periods: { productWarranty: { start: u.deliveryDate } },
      });
    },
    'GET /dashboard/summary': async (send) => {
      // What one more ticket in transit changes, so the check holds whatever the other scenarios left.
      const before = await send({ token: t.tokens.ops });
      expectStatus(before, 200);
      await shippedReplacement();
      const after = await send({ token: t.tokens.ops });
      expectStatus(after, 200);
      type Summary = {
        openTotal: number;
        replacementsInTransit: number;
        openTickets: { scheme: string; status: string; count: number }[];
      };
      const b = before.body as Summary;
      const a = after.body as Summary;
      const inTransit = (s: Summary): number =>
        s.openTickets.find((r) => r.scheme === 'replacement' && r.status === 'in_transit_to_partner')
          ?.count ?? 0;
      expect([
        a.openTotal - b.openTotal,
        a.replacementsInTransit - b.replacementsInTransit,
        inTransit(a) - inTransit(b),
      ]).toEqual([1, 1, 1]);
      expect(a.openTotal).toBe(a.openTickets.reduce((n, r) => n + r.count, 0));
      expect(after.body).toMatchObject({ projectionLag: { eventsBehind: 0, running: true } });
    },
    'GET /health': async (send) => {
      const res = await send({});
      expectStatus(res, 200);
      expect(res.body).toEqual({
        status: 'ok',
        projections: {
          status: 'ok',
          running: true,
          eventsBehind: 0,
          msBehind: 0,
          position: expect.any(Number) as number,
        },
      });
    },
    'GET /metrics': async (send) => {
      await t.http.get('/tickets').set('authorization', bearer(t.tokens.support));
      const res = await send({});
      expectStatus(res, 200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/^repair_projection_lag_events 0$/m);
      expect(res.text).toMatch(/^repair_projection_position \d+$/m);
      expect(res.text).toMatch(
        /^repair_http_request_duration_seconds_count\{method="GET",route="\/tickets",status="200"\} [1-9]\d*$/m,
      );
    },
  };

  async function supportPost(path: string, body: object, status: number): Promise<Response> {
    const res = await t.http.post(path).set('authorization', bearer(t.tokens.support)).send(body);
    expectStatus(res, status);
    return res;
  }
  const registerPartner = (partnerId: string): Promise<Response> =>
    supportPost('/partners', { partnerId, name: `partner ${partnerId}` }, 201);
  async function partnerView(partnerId: string): Promise<{ memberships: unknown; certifiedOn: unknown }> {
    const res = await t.http.get(`/partners/${partnerId}`).set('authorization', bearer(t.tokens.support));
    expectStatus(res, 200);
    return res.body as { memberships: unknown; certifiedOn: unknown };
  }

  /** A request to the operation `key` as the document has it: path template filled from `params`. */
  const sender =
    (key: Key): Send =>
    async (call) => {
      const [method, template] = key.split(' ') as ['GET' | 'POST', string];
      if (!doc.paths[template]?.[method.toLowerCase()]) throw new Error(`${key} is not in /openapi.json`);
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = call.params?.[name];
        if (value === undefined) throw new Error(`${key}: no value for path parameter ${name}`);
        return encodeURIComponent(value);
      });
      let req = method === 'GET' ? t.http.get(path) : t.http.post(path);
      if (call.token) req = req.set('authorization', bearer(call.token));
      if (call.query) req = req.query(call.query);
      return method === 'POST' ? req.send(call.body ?? {}) : req;
    };

  it('the scenario table names exactly the operations of /openapi.json (both ways)', () => {
    const documented = operationKeys(doc).sort();
    const scenarios = Object.keys(SCENARIOS).sort();
    expect({
      withoutScenario: documented.filter((k) => !scenarios.includes(k)),
      notDocumented: scenarios.filter((k) => !documented.includes(k)),
    }).toEqual({ withoutScenario: [], notDocumented: [] });
  });

  it.each(Object.keys(SCENARIOS) as Key[])('%s', async (key) => {
    await SCENARIOS[key]!(sender(key));
  });
});
