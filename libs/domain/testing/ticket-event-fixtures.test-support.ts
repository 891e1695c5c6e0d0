/**
 * Ticket events as the decider records them, for the tests of the read models, the messaging and the api:
 * built on the domain's own types (and its warranty policy for a real assessment). They live with the domain
 * so that no library borrows another's test helpers (the read models never import messaging, #15). Pure and
 * deterministic like the domain: `toStoredEvents` (@app/event-store/testing) gives them ids for a store.
 */
import { catalogFactFor } from '../src/catalog/catalog';
import { sampleCatalog } from '../src/catalog/sample-catalog';
import {
  type RepairTicketEvent,
  type RepairTicketEventType,
} from '../src/repair-ticket/repair-ticket.events';
import { assessWarranty } from '../src/warranty/assess-warranty.policy';

type Ev<T extends RepairTicketEventType> = Extract<RepairTicketEvent, { type: T }>;
type Data<T extends RepairTicketEventType> = Omit<Ev<T>['data'], 'ticketId' | 'at' | 'by'>;

const AT = '2026-11-25T01:00:00.000Z';
const shipment = { carrier: 'Yamato', trackingNumber: '1234-5678-9012' };

function ev<T extends RepairTicketEventType>(type: T, ticketId: string, by: string, data: Data<T>): Ev<T> {
  return { type, schemaVersion: 1, data: { ...data, ticketId, at: AT, by } } as unknown as Ev<T>;
}

function requestData(partnerId: string): Data<'RepairRequested'> {
  const unit = {
    serialNumber: 'SN-0001',
    modelNumber: 'WV-S1136',
    deliveryDate: '2026-03-10',
    soldToPartnerId: partnerId,
    saleDate: '2026-02-01',
    soldInJapan: true,
    usedInJapan: true,
  };
  return {
    partnerId,
    unit,
    failure: { failureDate: '2026-11-20', description: 'No video', component: 'main_unit' },
    site: { prefecture: 'Tokyo', remoteArea: false },
    onsiteRequested: false,
    proofOfDelivery: { kind: 'delivery_slip', reference: 'DOC-0001' },
    requestDate: '2026-11-25',
    catalog: catalogFactFor(sampleCatalog(), unit.modelNumber),
    membership: {
      partnerId,
      saleDate: unit.saleDate,
      memberAtSaleDate: false,
      period: null,
      recordVersion: null,
    },
    endUserReference: null,
  };
}

/** One event of every ticket event type (the compiler insists on all of them). */
export function oneOfEveryTicketEvent(
  ticketId = 'T-0001',
  partnerId = 'P-001',
): { readonly [T in RepairTicketEventType]: Ev<T> } {
  const by = `partner:${partnerId}`;
  const support = 'support:tanaka';
  const request: Data<'RepairRequested'> = requestData(partnerId);
  const assessment = assessWarranty({
    unit: request.unit,
    catalog: request.catalog,
    membership: request.membership,
    failure: request.failure,
    proofOfDelivery: request.proofOfDelivery,
    proceedWithoutProof: false,
    site: request.site,
    onsiteRequested: false,
    requestDate: request.requestDate,
  });
  const parts = [{ partNumber: 'MB-1', description: 'Main board', quantity: 1 }];
  return {
    RepairRequested: ev('RepairRequested', ticketId, by, request),
    WarrantyAssessed: ev('WarrantyAssessed', ticketId, 'system:policy', { assessment, trigger: 'request' }),
    ProofOfDeliverySubmitted: ev('ProofOfDeliverySubmitted', ticketId, by, {
      proof: { kind: 'invoice', reference: 'INV-1' },
      deliveryDate: '2026-03-10',
    }),
    ProceededWithoutProof: ev('ProceededWithoutProof', ticketId, by, { note: 'slip lost' }),
    Escalated: ev('Escalated', ticketId, 'system:portal', { note: null }),
    ReplacementShipped: ev('ReplacementShipped', ticketId, support, {
      ...shipment,
      replacementSerial: 'SN-9001',
      modelNumber: 'WV-S1136',
    }),
    ReplacementDelivered: ev('ReplacementDelivered', ticketId, by, { deliveredOn: '2026-11-27' }),
    FailedUnitReturned: ev('FailedUnitReturned', ticketId, by, { ...shipment, serialNumber: 'SN-0001' }),
    FailedUnitSent: ev('FailedUnitSent', ticketId, by, { ...shipment, serialNumber: 'SN-0001' }),
    FailedUnitReceived: ev('FailedUnitReceived', ticketId, support, {
      receivedOn: '2026-11-28',
      serialNumber: 'SN-0001',
    }),
    RepairCompleted: ev('RepairCompleted', ticketId, support, {
      workSummary: 'Main board replaced',
      partsReplaced: parts,
    }),
    RepairedUnitShipped: ev('RepairedUnitShipped', ticketId, support, shipment),
    RepairedUnitDelivered: ev('RepairedUnitDelivered', ticketId, by, { deliveredOn: '2026-12-02' }),
    UnrepairedUnitReturned: ev('UnrepairedUnitReturned', ticketId, support, shipment),
    OnsiteDispatched: ev('OnsiteDispatched', ticketId, support, {
      technicianName: 'Sato',
      visitDate: '2026-11-30',
      parts,
    }),
    OnsiteRepairCompleted: ev('OnsiteRepairCompleted', ticketId, support, {
      completedOn: '2026-11-30',
      workSummary: 'HDD replaced on site',
      partsUsed: parts,
    }),
    ExclusionFound: ev('ExclusionFound', ticketId, support, {
      exclusion: 'relocation_transport_or_drop',
      clause: 3,
      findings: 'Housing cracked by a drop',
    }),
    QuoteIssued: ev('QuoteIssued', ticketId, support, {
      quoteId: 'Q-1',
      reason: 'exclusion_found',
      lines: [
        { kind: 'repair', description: 'Repair', amountJpy: 30000 },
        { kind: 'onsite_fee', description: 'Onsite fee', amountJpy: 15000 },
      ],
      totalJpy: 45000,
      validUntil: '2026-12-31',
    }),
    QuoteAccepted: ev('QuoteAccepted', ticketId, by, { quoteId: 'Q-1' }),
    QuoteDeclined: ev('QuoteDeclined', ticketId, by, { quoteId: 'Q-1', reason: 'too expensive' }),
    RepairRejected: ev('RepairRejected', ticketId, support, {
      reason: 'beyond_repair',
      detail: 'Board burnt',
      advice: 'buy_new',
    }),
    TicketClosed: ev('TicketClosed', ticketId, support, { note: null }),
    TicketCancelled: ev('TicketCancelled', ticketId, by, { reason: 'unit works again' }),
  };
}

/** One ticket's whole replacement story (① request → assessment → … → failed unit back → closed). */
export function replacementStory(ticketId: string, partnerId = 'P-001'): RepairTicketEvent[] {
  const e = oneOfEveryTicketEvent(ticketId, partnerId);
  return [
    e.RepairRequested,
    e.WarrantyAssessed,
    e.Escalated,
    e.ReplacementShipped,
    e.ReplacementDelivered,
    e.FailedUnitReturned,
    e.TicketClosed,
  ];
}
