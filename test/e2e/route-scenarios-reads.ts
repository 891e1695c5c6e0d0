import { PARTNER_A, UNITS } from '../support/fixtures';
import {
  bearer,
  expectStatus,
  type RouteScenarioKit,
  type Scenarios,
  serialOf,
  today,
} from './route-scenarios';

/** The route table's scenarios for the ticket queries (route-table.e2e.spec.ts). */
export function ticketQueryScenarios(kit: RouteScenarioKit): Scenarios {
  return {
    'GET /tickets': async (send) => {
      const filed = await kit.file(UNITS.cameraReplacement);
      const serialNumber = serialOf(filed);
      const res = await send({ token: kit.t.tokens.support, query: { serialNumber } });
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
      const filed = await kit.file(UNITS.cameraPickup);
      const res = await send({ token: kit.t.tokens.partner(PARTNER_A), params: { id: filed.ticketId } });
      expectStatus(res, 200);
      expect(res.body).toEqual(filed);
      expect(res.body).toMatchObject({ status: 'escalated', coverage: 'partners_circle_extension' });
      expect(res.headers.etag).toBe('"2"');
    },
    'GET /tickets/{id}/history': async (send) => {
      const shipped = await kit.shippedReplacement();
      const res = await send({ token: kit.t.tokens.auditor, params: { id: shipped.ticketId } });
      expectStatus(res, 200);
      const { ticketId, events } = res.body as {
        ticketId: string;
        events: { type: string; actor: string; revision: number }[];
      };
      expect(ticketId).toBe(shipped.ticketId);
      expect(events.map((e) => [e.revision, e.type, e.actor])).toEqual([
        [0, 'RepairRequested', `partner:${PARTNER_A}`],
        [1, 'WarrantyAssessed', `partner:${PARTNER_A}`],
        [2, 'Escalated', 'system:portal'],
        [3, 'ReplacementShipped', 'support:tanaka'],
      ]);
    },
    'GET /tickets/{id}/as-of': async (send) => {
      const shipped = await kit.shippedReplacement();
      const history = await kit.t.http
        .get(`/tickets/${shipped.ticketId}/history`)
        .set('authorization', bearer(kit.t.tokens.auditor));
      const at = (history.body as { events: { recordedAt: string }[] }).events.map((e) => e.recordedAt);
      const res = await send({
        token: kit.t.tokens.auditor,
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
  };
}

/** The route table's scenarios for warranty status, the dashboard and operations (route-table.e2e.spec.ts). */
export function operationScenarios(kit: RouteScenarioKit): Scenarios {
  return {
    'GET /warranty/{serialNumber}': async (send) => {
      const u = UNITS.cameraPickup;
      const res = await send({
        token: kit.t.tokens.partner(PARTNER_A),
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
      const before = await send({ token: kit.t.tokens.ops });
      expectStatus(before, 200);
      await kit.shippedReplacement();
      const after = await send({ token: kit.t.tokens.ops });
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
      await kit.getAsSupport('/tickets');
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
}
