import { type CalendarDate } from '../shared/calendar';
import { type Shipment, type RepairTicketEvent, type WarrantyAssessed } from './repair-ticket.events';
import {
  type RepairTicketState,
  type ShipmentRecord,
  type TicketShipments,
  type TicketStatus,
} from './repair-ticket.state';

/** The status a ticket reaches once its assessment is known. */
function statusAfterAssessment(assessment: WarrantyAssessed['data']['assessment']): TicketStatus {
  switch (assessment.disposition) {
    case 'software_support':
      return 'referred_to_software_support';
    case 'unrepairable_buy_new':
    case 'repair':
      return assessment.awaitingProof ? 'awaiting_proof' : 'requested';
    default: {
      const unreachable: never = assessment.disposition;
      return unreachable;
    }
  }
}

/** A shipment as the state records it: shipped at the event's time, not delivered yet. */
function record(d: Shipment & { at: string }): ShipmentRecord {
  return { carrier: d.carrier, trackingNumber: d.trackingNumber, shippedAt: d.at, deliveredOn: null };
}

/** The shipments with one more leg shipped. */
function shippedLeg(
  shipments: TicketShipments,
  leg: 'failedUnit' | 'repairedUnit' | 'unrepairedReturn',
  d: Shipment & { at: string },
): TicketShipments {
  return { ...shipments, [leg]: record(d) };
}

/** The shipments with one leg delivered on `on`; a leg never recorded as shipped stays null. */
function deliveredLeg(
  shipments: TicketShipments,
  leg: 'replacement' | 'failedUnit' | 'repairedUnit',
  on: CalendarDate,
): TicketShipments {
  const shipment = shipments[leg];
  return { ...shipments, [leg]: shipment && { ...shipment, deliveredOn: on } };
}

export function evolve(state: RepairTicketState, event: RepairTicketEvent): RepairTicketState {
  const s: RepairTicketState = { ...state, updatedAt: event.data.at };
  switch (event.type) {
    case 'RepairRequested': {
      const d = event.data;
      return {
        ...s,
        status: 'requested',
        ticketId: d.ticketId,
        partnerId: d.partnerId,
        openedAt: d.at,
        assessmentInput: {
          unit: d.unit,
          catalog: d.catalog,
          membership: d.membership,
          failure: d.failure,
          proofOfDelivery: d.proofOfDelivery,
          proceedWithoutProof: false,
          site: d.site,
          onsiteRequested: d.onsiteRequested,
          requestDate: d.requestDate,
        },
      };
    }
    case 'WarrantyAssessed': {
      const a = event.data.assessment;
      const input = s.assessmentInput;
      return {
        ...s,
        status: statusAfterAssessment(a),
        assessment: a,
        coverage: a.coverage,
        scheme: a.scheme,
        // Keep the inputs in step with what was assessed (proof, corrected delivery date, proceeding without).
        assessmentInput:
          input === null
            ? null
            : {
                ...input,
                unit: { ...input.unit, deliveryDate: a.deliveryDate },
                proofOfDelivery: a.basis.proofOfDelivery,
                proceedWithoutProof: a.basis.proceededWithoutProof,
              },
      };
    }
    case 'ProofOfDeliverySubmitted':
    case 'ProceededWithoutProof':
      return s;
    case 'Escalated': {
      const needsQuote =
        s.assessment?.quoteRequired === true && !s.quotes.some((q) => q.status === 'accepted');
      return needsQuote
        ? { ...s, status: 'awaiting_quote', resumeStatus: 'escalated' }
        : { ...s, status: 'escalated' };
    }
    case 'ReplacementShipped':
      return {
        ...s,
        status: 'in_transit_to_partner',
        workStarted: true,
        shipments: {
          ...s.shipments,
          replacement: { ...record(event.data), replacementSerial: event.data.replacementSerial },
        },
      };
    case 'ReplacementDelivered':
      return {
        ...s,
        status: 'awaiting_failed_unit_return',
        shipments: deliveredLeg(s.shipments, 'replacement', event.data.deliveredOn),
      };
    case 'FailedUnitReturned':
      return {
        ...s,
        status: 'failed_unit_returned',
        shipments: shippedLeg(s.shipments, 'failedUnit', event.data),
      };
    case 'FailedUnitSent':
      return {
        ...s,
        status: 'failed_unit_in_transit',
        workStarted: true,
        shipments: shippedLeg(s.shipments, 'failedUnit', event.data),
      };
    case 'FailedUnitReceived':
      return {
        ...s,
        status: 'failed_unit_received',
        receivedOn: event.data.receivedOn,
        unitAtIpro: true,
        shipments: deliveredLeg(s.shipments, 'failedUnit', event.data.receivedOn),
      };
    case 'ExclusionFound': {
      const { exclusion, clause, findings } = event.data;
      return {
        ...s,
        status: 'awaiting_quote',
        resumeStatus: s.status,
        exclusion: { exclusion, clause, findings },
      };
    }
    case 'RepairCompleted':
      return {
        ...s,
        status: 'repaired',
        repair: { workSummary: event.data.workSummary, partsReplaced: event.data.partsReplaced },
      };
    case 'RepairedUnitShipped':
      return {
        ...s,
        status: 'in_transit_to_partner',
        unitAtIpro: false,
        shipments: shippedLeg(s.shipments, 'repairedUnit', event.data),
      };
    case 'RepairedUnitDelivered':
      return {
        ...s,
        status: 'delivered',
        shipments: deliveredLeg(s.shipments, 'repairedUnit', event.data.deliveredOn),
      };
    case 'UnrepairedUnitReturned':
      return {
        ...s,
        status: 'unrepaired_unit_returned',
        unitAtIpro: false,
        shipments: shippedLeg(s.shipments, 'unrepairedReturn', event.data),
      };
    case 'OnsiteDispatched': {
      const { technicianName, visitDate, parts } = event.data;
      return {
        ...s,
        status: 'onsite_dispatched',
        workStarted: true,
        onsite: { technicianName, visitDate, parts, completedOn: null, workSummary: null },
      };
    }
    case 'OnsiteRepairCompleted':
      return {
        ...s,
        status: 'onsite_completed',
        onsite: s.onsite && {
          ...s.onsite,
          completedOn: event.data.completedOn,
          workSummary: event.data.workSummary,
        },
      };
    case 'QuoteIssued': {
      const { quoteId, reason, lines, totalJpy, validUntil, at } = event.data;
      return {
        ...s,
        status: 'awaiting_quote_decision',
        quotes: [
          ...s.quotes,
          { quoteId, reason, lines, totalJpy, validUntil, issuedAt: at, status: 'issued' },
        ],
      };
    }
    case 'QuoteAccepted':
    case 'QuoteDeclined': {
      const accepted = event.type === 'QuoteAccepted';
      return {
        ...s,
        status: accepted ? (s.resumeStatus ?? 'escalated') : 'quote_declined',
        resumeStatus: null,
        quotes: s.quotes.map((q) =>
          q.quoteId === event.data.quoteId ? { ...q, status: accepted ? 'accepted' : 'declined' } : q,
        ),
      };
    }
    case 'RepairRejected':
      return {
        ...s,
        status: 'rejected',
        rejection: { reason: event.data.reason, detail: event.data.detail },
      };
    case 'TicketClosed':
      return { ...s, status: 'closed', closedAt: event.data.at };
    case 'TicketCancelled':
      return { ...s, status: 'cancelled', cancellationReason: event.data.reason, closedAt: event.data.at };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** Replays a stream from the initial state. */
export function evolveAll(state: RepairTicketState, events: readonly RepairTicketEvent[]): RepairTicketState {
  return events.reduce(evolve, state);
}
