import { type CatalogFact } from '../catalog/catalog';
import { type MembershipFact } from '../partner/membership';
import { type CalendarDate } from '../shared/calendar';
import { type DomainEvent } from '../shared/messages';
import {
  type Assessment,
  type ChargeKind,
  type FailureFacts,
  type ProofOfDelivery,
  type SiteFacts,
  type UnitFacts,
} from '../warranty/warranty-assessment';

/** Events of one repair ticket (one stream per ticket). Every event's data carries the ticket id, `at` and `by`. */
type TicketEvent<T extends string, D> = DomainEvent<T, D & { ticketId: string }>;

export interface Shipment {
  readonly carrier: string;
  readonly trackingNumber: string;
}

export interface PartLine {
  readonly partNumber: string;
  readonly description: string;
  readonly quantity: number;
}

/** A priced line on a quote, in whole yen. */
export interface QuoteLine {
  readonly kind: ChargeKind;
  readonly description: string;
  readonly amountJpy: number;
}

/**
 * Exclusions (免責事項) (1)–(6): found at inspection, they make a free repair quoted and chargeable
 * (decision 4). (7)–(9) are costs i-PRO does not carry, never reasons to refuse a repair, so not listed.
 */
export const EXCLUSION_CODES = [
  'not_following_manual',
  'misuse_improper_repair_or_modification',
  'relocation_transport_or_drop',
  'disaster_pollution_or_abnormal_power',
  'outside_specified_conditions',
  'connected_equipment',
] as const;
export type ExclusionCode = (typeof EXCLUSION_CODES)[number];

/** The clause number in the guide, for labels and audit. */
export const EXCLUSION_CLAUSE: Readonly<Record<ExclusionCode, number>> = {
  not_following_manual: 1,
  misuse_improper_repair_or_modification: 2,
  relocation_transport_or_drop: 3,
  disaster_pollution_or_abnormal_power: 4,
  outside_specified_conditions: 5,
  connected_equipment: 6,
};

export type QuoteReason = 'assessment' | 'exclusion_found';
/** Why support refuses a repair (the API's enum is this list). */
export const REJECTION_REASONS = ['unrepairable_model', 'beyond_repair'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type RepairRequested = TicketEvent<
  'RepairRequested',
  {
    /** The filing partner, owner of the ticket (an end user never files directly). */
    partnerId: string;
    unit: UnitFacts;
    failure: FailureFacts;
    site: SiteFacts;
    onsiteRequested: boolean;
    proofOfDelivery: ProofOfDelivery | null;
    requestDate: CalendarDate;
    catalog: CatalogFact;
    membership: MembershipFact;
    /** The partner's own reference for the end user / site, if any (no personal data required). */
    endUserReference: string | null;
  }
>;
export type WarrantyAssessed = TicketEvent<
  'WarrantyAssessed',
  { assessment: Assessment; trigger: 'request' | 'proof_submitted' | 'proceeded_without_proof' }
>;
export type ProofOfDeliverySubmitted = TicketEvent<
  'ProofOfDeliverySubmitted',
  {
    proof: ProofOfDelivery;
    /** The delivery date the proof shows; it replaces the claimed one for the re-assessment. */
    deliveryDate: CalendarDate;
  }
>;
export type ProceededWithoutProof = TicketEvent<'ProceededWithoutProof', { note: string | null }>;
export type Escalated = TicketEvent<'Escalated', { note: string | null }>;
// ① replacement
export type ReplacementShipped = TicketEvent<
  'ReplacementShipped',
  Shipment & { replacementSerial: string; modelNumber: string }
>;
export type ReplacementDelivered = TicketEvent<'ReplacementDelivered', { deliveredOn: CalendarDate }>;
export type FailedUnitReturned = TicketEvent<'FailedUnitReturned', Shipment & { serialNumber: string }>;
// ② pickup repair
export type FailedUnitSent = TicketEvent<'FailedUnitSent', Shipment & { serialNumber: string }>;
export type FailedUnitReceived = TicketEvent<
  'FailedUnitReceived',
  { receivedOn: CalendarDate; serialNumber: string }
>;
export type RepairCompleted = TicketEvent<
  'RepairCompleted',
  { workSummary: string; partsReplaced: readonly PartLine[] }
>;
export type RepairedUnitShipped = TicketEvent<'RepairedUnitShipped', Shipment>;
export type RepairedUnitDelivered = TicketEvent<'RepairedUnitDelivered', { deliveredOn: CalendarDate }>;
/** After a declined quote, a unit i-PRO holds goes back unrepaired (at i-PRO's cost, like a repaired one). */
export type UnrepairedUnitReturned = TicketEvent<'UnrepairedUnitReturned', Shipment>;
// ③ onsite repair
export type OnsiteDispatched = TicketEvent<
  'OnsiteDispatched',
  { technicianName: string; visitDate: CalendarDate; parts: readonly PartLine[] }
>;
export type OnsiteRepairCompleted = TicketEvent<
  'OnsiteRepairCompleted',
  { completedOn: CalendarDate; workSummary: string; partsUsed: readonly PartLine[] }
>;
// inspection and the paid path
export type ExclusionFound = TicketEvent<
  'ExclusionFound',
  { exclusion: ExclusionCode; clause: number; findings: string }
>;
export type QuoteIssued = TicketEvent<
  'QuoteIssued',
  {
    quoteId: string;
    reason: QuoteReason;
    lines: readonly QuoteLine[];
    totalJpy: number;
    validUntil: CalendarDate | null;
  }
>;
export type QuoteAccepted = TicketEvent<'QuoteAccepted', { quoteId: string }>;
export type QuoteDeclined = TicketEvent<'QuoteDeclined', { quoteId: string; reason: string | null }>;
// endings
export type RepairRejected = TicketEvent<
  'RepairRejected',
  { reason: RejectionReason; detail: string; advice: 'buy_new' }
>;
export type TicketClosed = TicketEvent<'TicketClosed', { note: string | null }>;
export type TicketCancelled = TicketEvent<'TicketCancelled', { reason: string }>;

export type RepairTicketEvent =
  | RepairRequested
  | WarrantyAssessed
  | ProofOfDeliverySubmitted
  | ProceededWithoutProof
  | Escalated
  | ReplacementShipped
  | ReplacementDelivered
  | FailedUnitReturned
  | FailedUnitSent
  | FailedUnitReceived
  | RepairCompleted
  | RepairedUnitShipped
  | RepairedUnitDelivered
  | UnrepairedUnitReturned
  | OnsiteDispatched
  | OnsiteRepairCompleted
  | ExclusionFound
  | QuoteIssued
  | QuoteAccepted
  | QuoteDeclined
  | RepairRejected
  | TicketClosed
  | TicketCancelled;

export type RepairTicketEventType = RepairTicketEvent['type'];

/** Every ticket event type, for subscriptions and filters. */
export const REPAIR_TICKET_EVENT_TYPES: readonly RepairTicketEventType[] = [
  'RepairRequested',
  'WarrantyAssessed',
  'ProofOfDeliverySubmitted',
  'ProceededWithoutProof',
  'Escalated',
  'ReplacementShipped',
  'ReplacementDelivered',
  'FailedUnitReturned',
  'FailedUnitSent',
  'FailedUnitReceived',
  'RepairCompleted',
  'RepairedUnitShipped',
  'RepairedUnitDelivered',
  'UnrepairedUnitReturned',
  'OnsiteDispatched',
  'OnsiteRepairCompleted',
  'ExclusionFound',
  'QuoteIssued',
  'QuoteAccepted',
  'QuoteDeclined',
  'RepairRejected',
  'TicketClosed',
  'TicketCancelled',
];
