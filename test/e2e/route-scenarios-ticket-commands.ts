import { daysAgo } from '../support/dates';
import { PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import {
  expectStatus,
  type RouteScenarioKit,
  type Scenarios,
  serialOf,
  ship,
  today,
} from './route-scenarios';
import { actionsAt, TicketClient, type TicketBody } from './ticket-client';

const invoice = { kind: 'invoice', reference: 'INV-RT-1' };
const sensorBoard = { partNumber: 'PCB-RT', description: 'sensor board', quantity: 1 };
const hdd = { partNumber: 'HDD-4TB', description: 'surveillance HDD', quantity: 1 };

/** The route table's scenarios for the ticket commands (route-table.e2e.spec.ts). */
export function ticketCommandScenarios(kit: RouteScenarioKit): Scenarios {
  return {
    'POST /tickets': async (send) => {
      const u = await kit.unit(UNITS.cameraReplacement);
      const res = await send({ token: kit.t.tokens.partner(PARTNER_A), body: repairRequest(u) });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({
        status: 'escalated',
        scheme: 'replacement',
        coverage: 'product_warranty',
        partnerId: PARTNER_A,
        revision: 2,
        unit: { serialNumber: u.serialNumber, modelNumber: u.modelNumber, deliveryDate: u.deliveryDate },
        assessment: { billing: 'free', quoteRequired: false },
        allowedActions: actionsAt((res.body as TicketBody).ticketId, 'cancel-ticket'),
      });
      expect(res.headers.location).toBe(`/tickets/${(res.body as TicketBody).ticketId}`);
      expect(res.headers.etag).toBe('"2"');
    },
    'POST /tickets/{id}/submit-proof-of-delivery': kit.command({
      as: 'partner',
      given: kit.filedWhere({ status: 'awaiting_proof' }, UNITS.cameraReplacement, { proofOfDelivery: null }),
      // registerUnit keeps the base unit's dates.
      body: { proof: invoice, deliveryDate: UNITS.cameraReplacement.deliveryDate },
      answer: {
        status: 'escalated',
        revision: 4,
        assessment: { billing: 'free', basis: { proofOfDelivery: invoice } },
      },
    }),
    'POST /tickets/{id}/proceed-without-proof': kit.command({
      as: 'partner',
      given: () => kit.file(UNITS.cameraReplacement, { proofOfDelivery: null }),
      body: {},
      answer: {
        status: 'awaiting_quote',
        revision: 4,
        assessment: { billing: 'chargeable', quoteRequired: true },
      },
    }),
    'POST /tickets/{id}/escalate': async (send) => {
      const id = await kit.unescalatedTicket();
      expect((await kit.support.get(id)).status).toBe('requested');
      const res = await send({
        token: kit.t.tokens.support,
        params: { id },
        body: { note: 'called the partner' },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ status: 'escalated', revision: 2, scheme: 'replacement' });
      const history = await new TicketClient(kit.t, kit.t.tokens.auditor).history(id);
      expect(history.at(-1)).toMatchObject({
        type: 'Escalated',
        actor: 'support:tanaka',
        data: { note: 'called the partner' },
      });
    },
    'POST /tickets/{id}/ship-replacement': kit.command({
      as: 'support',
      given: () => kit.file(UNITS.cameraReplacement),
      body: { ...ship, replacementSerial: 'RPL-RT-2' },
      answer: {
        status: 'in_transit_to_partner',
        revision: 3,
        shipments: { replacement: { ...ship, replacementSerial: 'RPL-RT-2', deliveredOn: null } },
      },
    }),
    'POST /tickets/{id}/confirm-replacement-delivered': kit.command({
      as: 'partner',
      given: kit.shippedReplacement,
      body: { deliveredOn: today },
      answer: (ticket: TicketBody) => ({
        status: 'awaiting_failed_unit_return',
        shipments: { replacement: { replacementSerial: 'RPL-RT-1', deliveredOn: today } },
        allowedActions: actionsAt(ticket.ticketId, 'return-failed-unit'),
      }),
    }),
    'POST /tickets/{id}/return-failed-unit': kit.command({
      as: 'partner',
      given: async () => {
        const shipped = await kit.shippedReplacement();
        return kit.partner.act(shipped.ticketId, 'confirm-replacement-delivered', { deliveredOn: today });
      },
      body: ship,
      answer: { status: 'failed_unit_returned', shipments: { failedUnit: { ...ship, deliveredOn: null } } },
    }),
    'POST /tickets/{id}/send-failed-unit': kit.command({
      as: 'partner',
      given: kit.filedWhere({ scheme: 'pickup_repair' }, UNITS.cameraPickup),
      body: ship,
      answer: {
        status: 'failed_unit_in_transit',
        shipments: { failedUnit: { ...ship, deliveredOn: null } },
        allowedActions: [],
      },
    }),
    'POST /tickets/{id}/receive-failed-unit': kit.command({
      as: 'support',
      given: async () => {
        const filed = await kit.file(UNITS.cameraPickup);
        return kit.partner.act(filed.ticketId, 'send-failed-unit', ship);
      },
      body: (ticket) => ({ receivedOn: today, serialNumber: serialOf(ticket) }),
      answer: (ticket: TicketBody) => ({
        status: 'failed_unit_received',
        shipments: { failedUnit: { deliveredOn: today } },
        allowedActions: actionsAt(
          ticket.ticketId,
          'record-inspection-finding',
          'complete-repair',
          'reject-repair',
        ),
      }),
    }),
    'POST /tickets/{id}/record-inspection-finding': kit.command({
      as: 'support',
      given: kit.receivedPickup,
      body: { exclusion: 'relocation_transport_or_drop', findings: 'housing cracked by a fall' },
      answer: (ticket: TicketBody) => ({
        status: 'awaiting_quote',
        exclusion: {
          exclusion: 'relocation_transport_or_drop',
          clause: 3,
          findings: 'housing cracked by a fall',
        },
        allowedActions: actionsAt(ticket.ticketId, 'issue-quote', 'reject-repair'),
      }),
    }),
    'POST /tickets/{id}/complete-repair': kit.command({
      as: 'support',
      given: kit.receivedPickup,
      body: { workSummary: 'sensor board replaced', partsReplaced: [sensorBoard] },
      answer: (ticket: TicketBody) => ({
        status: 'repaired',
        repair: { workSummary: 'sensor board replaced', partsReplaced: [sensorBoard] },
        allowedActions: actionsAt(ticket.ticketId, 'ship-repaired-unit'),
      }),
    }),
    'POST /tickets/{id}/ship-repaired-unit': kit.command({
      as: 'support',
      given: kit.repairedPickup,
      body: ship,
      answer: {
        status: 'in_transit_to_partner',
        shipments: { repairedUnit: { ...ship, deliveredOn: null } },
      },
    }),
    'POST /tickets/{id}/confirm-repaired-unit-delivered': kit.command({
      as: 'partner',
      given: async () => kit.support.act((await kit.repairedPickup()).ticketId, 'ship-repaired-unit', ship),
      body: { deliveredOn: today },
      answer: { status: 'delivered', shipments: { repairedUnit: { deliveredOn: today } } },
    }),
    'POST /tickets/{id}/return-unrepaired-unit': kit.command({
      as: 'support',
      given: async () => {
        const received = await kit.receivedPickup();
        const rejected = await kit.support.act(received.ticketId, 'reject-repair', {
          reason: 'beyond_repair',
          detail: 'board burnt',
        });
        expect(rejected.allowedActions).toEqual(actionsAt(received.ticketId, 'return-unrepaired-unit'));
        return rejected;
      },
      body: ship,
      answer: (ticket: TicketBody) => ({
        status: 'unrepaired_unit_returned',
        shipments: { unrepairedReturn: { ...ship, deliveredOn: null } },
        allowedActions: actionsAt(ticket.ticketId, 'close-ticket'),
      }),
    }),
    'POST /tickets/{id}/dispatch-onsite': kit.command({
      as: 'support',
      given: kit.filedWhere({ scheme: 'onsite_repair' }, UNITS.recorderYear1, {
        failedComponent: 'recorder_hdd',
      }),
      body: { technicianName: '佐藤 技師', visitDate: today, parts: [hdd] },
      answer: {
        status: 'onsite_dispatched',
        onsite: {
          technicianName: '佐藤 技師',
          visitDate: today,
          parts: [hdd],
          completedOn: null,
          workSummary: null,
        },
      },
    }),
    'POST /tickets/{id}/complete-onsite-repair': kit.command({
      as: 'support',
      given: async () => {
        const filed = await kit.file(UNITS.recorderYear1, { failedComponent: 'recorder_hdd' });
        return kit.support.act(filed.ticketId, 'dispatch-onsite', {
          technicianName: 'Sato',
          visitDate: today,
        });
      },
      body: { completedOn: today, workSummary: 'HDD replaced' },
      answer: (ticket: TicketBody) => ({
        status: 'onsite_completed',
        onsite: { technicianName: 'Sato', completedOn: today, workSummary: 'HDD replaced' },
        allowedActions: actionsAt(ticket.ticketId, 'close-ticket'),
      }),
    }),
    'POST /tickets/{id}/issue-quote': kit.command({
      as: 'support',
      given: kit.filedWhere({ status: 'awaiting_quote' }, UNITS.cameraOld),
      body: {
        quoteId: 'Q-RT-1',
        lines: [
          { kind: 'repair', description: 'repair', amountJpy: 25000 },
          { kind: 'parts', description: 'lens unit', amountJpy: 8000 },
        ],
        validUntil: daysAgo(-30),
      },
      answer: {
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
      },
    }),
    'POST /tickets/{id}/accept-quote': kit.command({
      as: 'partner',
      given: () => kit.quoted('Q-RT-2', 20000),
      body: { quoteId: 'Q-RT-2' },
      answer: (ticket: TicketBody) => ({
        status: 'escalated',
        quotes: [{ quoteId: 'Q-RT-2', status: 'accepted', totalJpy: 20000 }],
        allowedActions: actionsAt(ticket.ticketId, 'send-failed-unit', 'cancel-ticket'),
      }),
    }),
    'POST /tickets/{id}/decline-quote': kit.command({
      as: 'partner',
      given: () => kit.quoted('Q-RT-3', 30000),
      body: { quoteId: 'Q-RT-3', reason: 'end user buys a new camera' },
      answer: { status: 'quote_declined', quotes: [{ quoteId: 'Q-RT-3', status: 'declined' }] },
    }),
    'POST /tickets/{id}/reject-repair': kit.command({
      as: 'support',
      given: () => kit.file(UNITS.cameraReplacement),
      body: { reason: 'unrepairable_model', detail: 'no spare parts left' },
      answer: (ticket: TicketBody) => ({
        status: 'rejected',
        rejection: { reason: 'unrepairable_model', detail: 'no spare parts left' },
        allowedActions: actionsAt(ticket.ticketId, 'close-ticket'),
      }),
    }),
    'POST /tickets/{id}/close-ticket': kit.command({
      as: 'support',
      given: async () => {
        const filed = await kit.file(UNITS.cameraReplacement);
        return kit.support.act(filed.ticketId, 'reject-repair', { reason: 'beyond_repair', detail: 'x' });
      },
      body: { note: 'done' },
      answer: {
        status: 'closed',
        revision: 4,
        allowedActions: [],
        closedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as string,
      },
    }),
    'POST /tickets/{id}/cancel-ticket': kit.command({
      // By the filing partner itself (the other suites only check that another partner is refused).
      as: 'partner',
      given: () => kit.file(UNITS.cameraReplacement),
      body: { reason: 'the end user found the cable unplugged' },
      answer: {
        status: 'cancelled',
        cancellationReason: 'the end user found the cable unplugged',
        allowedActions: [],
      },
    }),
  };
}
