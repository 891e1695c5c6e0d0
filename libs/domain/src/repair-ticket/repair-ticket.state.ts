import { type CalendarDate, type Instant } from '../shared/calendar';
import {
  type Assessment,
  type AssessmentInput,
  type Coverage,
  type RepairScheme,
} from '../warranty/warranty-assessment';
import {
  type ExclusionCode,
  type PartLine,
  type QuoteLine,
  type QuoteReason,
  type RejectionReason,
} from './repair-ticket.events';

/**
 * Where a ticket stands. Statuses shared by two schemes (`in_transit_to_partner`) mean the same thing for
 * both; `scheme` tells which unit is travelling.
 */
export type TicketStatus =
  | 'not_requested'
  /** Accepted, held until proof of the delivery date arrives or the partner proceeds without it (decision 3). */
  | 'awaiting_proof'
  /** Assessed, waiting for the portal to escalate it to customer support. */
  | 'requested'
  /** With customer support; the next step is the scheme's first one. */
  | 'escalated'
  /** Chargeable: customer support is to price the work. */
  | 'awaiting_quote'
  | 'awaiting_quote_decision'
  | 'quote_declined'
  /** ① the replacement or ② the repaired unit is on its way to the partner. */
  | 'in_transit_to_partner'
  /** ① the replacement reached the end user; the failed unit is to come back in exchange. */
  | 'awaiting_failed_unit_return'
  /** ① the failed unit was sent back: the exchange is complete. */
  | 'failed_unit_returned'
  /** ② the partner sent the failed unit (at its own cost). */
  | 'failed_unit_in_transit'
  /** ② i-PRO holds the failed unit: inspection and repair. */
  | 'failed_unit_received'
  | 'repaired'
  /** ② the repaired unit reached the end user. */
  | 'delivered'
  | 'onsite_dispatched'
  | 'onsite_completed'
  | 'unrepaired_unit_returned'
  /** Software-only fault: answered with a pointer to software support (decision 5). */
  | 'referred_to_software_support'
  | 'rejected'
  | 'closed'
  | 'cancelled';

export const TICKET_STATUSES: readonly TicketStatus[] = [
  'not_requested',
  'awaiting_proof',
  'requested',
  'escalated',
  'awaiting_quote',
  'awaiting_quote_decision',
  'quote_declined',
  'in_transit_to_partner',
  'awaiting_failed_unit_return',
  'failed_unit_returned',
  'failed_unit_in_transit',
  'failed_unit_received',
  'repaired',
  'delivered',
  'onsite_dispatched',
  'onsite_completed',
  'unrepaired_unit_returned',
  'referred_to_software_support',
  'rejected',
  'closed',
  'cancelled',
];

export interface ShipmentRecord {
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly shippedAt: Instant;
  readonly deliveredOn: CalendarDate | null;
}

/** The legs a ticket's units travel, each null until shipped. */
export interface TicketShipments {
  /** ① i-PRO → partner. */
  readonly replacement: (ShipmentRecord & { readonly replacementSerial: string }) | null;
  /** ① and ② partner → i-PRO. */
  readonly failedUnit: ShipmentRecord | null;
  /** ② i-PRO → partner. */
  readonly repairedUnit: ShipmentRecord | null;
  /** A held unit going back unrepaired (declined quote or rejection). */
  readonly unrepairedReturn: ShipmentRecord | null;
}

/** An exclusion (1)–(6) found at inspection: its code, its clause number and what was found. */
export interface ExclusionFinding {
  readonly exclusion: ExclusionCode;
  readonly clause: number;
  readonly findings: string;
}

export interface QuoteRecord {
  readonly quoteId: string;
  readonly reason: QuoteReason;
  readonly lines: readonly QuoteLine[];
  readonly totalJpy: number;
  readonly validUntil: CalendarDate | null;
  readonly issuedAt: Instant;
  readonly status: 'issued' | 'accepted' | 'declined';
}

export interface RepairTicketState {
  readonly status: TicketStatus;
  readonly ticketId: string | null;
  /** The filing partner, owner of the ticket. */
  readonly partnerId: string | null;
  /** The inputs of the latest assessment, kept so that proof arriving later can re-assess. */
  readonly assessmentInput: AssessmentInput | null;
  readonly assessment: Assessment | null;
  readonly coverage: Coverage | null;
  readonly scheme: RepairScheme;
  readonly quotes: readonly QuoteRecord[];
  /** Where the ticket goes on once the pending quote is accepted. */
  readonly resumeStatus: TicketStatus | null;
  readonly exclusion: ExclusionFinding | null;
  readonly shipments: TicketShipments;
  readonly receivedOn: CalendarDate | null;
  readonly repair: { readonly workSummary: string; readonly partsReplaced: readonly PartLine[] } | null;
  readonly onsite: {
    readonly technicianName: string;
    readonly visitDate: CalendarDate;
    readonly parts: readonly PartLine[];
    readonly completedOn: CalendarDate | null;
    readonly workSummary: string | null;
  } | null;
  /** i-PRO holds the failed unit (received, not yet sent back). */
  readonly unitAtIpro: boolean;
  /** Something physical happened (a shipment or a dispatch): cancelling is no longer possible. */
  readonly workStarted: boolean;
  readonly rejection: { readonly reason: RejectionReason; readonly detail: string } | null;
  readonly cancellationReason: string | null;
  readonly openedAt: Instant | null;
  readonly updatedAt: Instant | null;
  readonly closedAt: Instant | null;
}

export const initialState: RepairTicketState = {
  status: 'not_requested',
  ticketId: null,
  partnerId: null,
  assessmentInput: null,
  assessment: null,
  coverage: null,
  scheme: 'none',
  quotes: [],
  resumeStatus: null,
  exclusion: null,
  shipments: { replacement: null, failedUnit: null, repairedUnit: null, unrepairedReturn: null },
  receivedOn: null,
  repair: null,
  onsite: null,
  unitAtIpro: false,
  workStarted: false,
  rejection: null,
  cancellationReason: null,
  openedAt: null,
  updatedAt: null,
  closedAt: null,
};

/** The quote waiting for the partner's decision, if any. */
export function pendingQuote(state: RepairTicketState): QuoteRecord | null {
  const last = state.quotes.at(-1);
  return last !== undefined && last.status === 'issued' ? last : null;
}
