import { type CatalogFact } from '../catalog/catalog';
import { type MembershipFact } from '../partner/membership';
import { type CalendarDate } from '../shared/calendar';
import { type DomainCommand } from '../shared/messages';
import {
  type FailureFacts,
  type ProofOfDelivery,
  type SiteFacts,
  type UnitFacts,
} from '../warranty/warranty-assessment';
import {
  type ExclusionCode,
  type PartLine,
  type QuoteLine,
  type RejectionReason,
  type Shipment,
} from './repair-ticket.events';

type TicketCommand<T extends string, D> = DomainCommand<T, D>;

/**
 * Filed by a partner (or by support / the portal on a partner's behalf). Carries everything the warranty
 * assessment needs, resolved by the caller from reference data (unit sale, catalog version, membership), so
 * that `decide` stays pure and the assessment records exactly what it used.
 */
export type RequestRepair = TicketCommand<
  'RequestRepair',
  {
    ticketId: string;
    partnerId: string;
    unit: UnitFacts;
    catalog: CatalogFact;
    membership: MembershipFact;
    failure: FailureFacts;
    proofOfDelivery: ProofOfDelivery | null;
    site: SiteFacts;
    onsiteRequested: boolean;
    requestDate: CalendarDate;
    endUserReference?: string | null;
  }
>;
export type SubmitProofOfDelivery = TicketCommand<
  'SubmitProofOfDelivery',
  { proof: ProofOfDelivery; deliveryDate: CalendarDate }
>;
export type ProceedWithoutProof = TicketCommand<'ProceedWithoutProof', { note?: string | null }>;
export type Escalate = TicketCommand<'Escalate', { note?: string | null }>;
export type ShipReplacement = TicketCommand<'ShipReplacement', Shipment & { replacementSerial: string }>;
export type ConfirmReplacementDelivered = TicketCommand<
  'ConfirmReplacementDelivered',
  { deliveredOn: CalendarDate }
>;
export type ReturnFailedUnit = TicketCommand<'ReturnFailedUnit', Shipment>;
export type SendFailedUnit = TicketCommand<'SendFailedUnit', Shipment>;
export type ReceiveFailedUnit = TicketCommand<
  'ReceiveFailedUnit',
  { receivedOn: CalendarDate; serialNumber: string }
>;
export type RecordInspectionFinding = TicketCommand<
  'RecordInspectionFinding',
  { exclusion: ExclusionCode; findings: string }
>;
export type CompleteRepair = TicketCommand<
  'CompleteRepair',
  { workSummary: string; partsReplaced?: readonly PartLine[] }
>;
export type ShipRepairedUnit = TicketCommand<'ShipRepairedUnit', Shipment>;
export type ConfirmRepairedUnitDelivered = TicketCommand<
  'ConfirmRepairedUnitDelivered',
  { deliveredOn: CalendarDate }
>;
export type ReturnUnrepairedUnit = TicketCommand<'ReturnUnrepairedUnit', Shipment>;
export type DispatchOnsite = TicketCommand<
  'DispatchOnsite',
  { technicianName: string; visitDate: CalendarDate; parts?: readonly PartLine[] }
>;
export type CompleteOnsiteRepair = TicketCommand<
  'CompleteOnsiteRepair',
  { completedOn: CalendarDate; workSummary: string; partsUsed?: readonly PartLine[] }
>;
export type IssueQuote = TicketCommand<
  'IssueQuote',
  { quoteId: string; lines: readonly QuoteLine[]; validUntil?: CalendarDate | null }
>;
export type AcceptQuote = TicketCommand<'AcceptQuote', { quoteId: string }>;
export type DeclineQuote = TicketCommand<'DeclineQuote', { quoteId: string; reason?: string | null }>;
export type RejectRepair = TicketCommand<'RejectRepair', { reason: RejectionReason; detail: string }>;
export type CloseTicket = TicketCommand<'CloseTicket', { note?: string | null }>;
export type CancelTicket = TicketCommand<'CancelTicket', { reason: string }>;

export type RepairTicketCommand =
  | RequestRepair
  | SubmitProofOfDelivery
  | ProceedWithoutProof
  | Escalate
  | ShipReplacement
  | ConfirmReplacementDelivered
  | ReturnFailedUnit
  | SendFailedUnit
  | ReceiveFailedUnit
  | RecordInspectionFinding
  | CompleteRepair
  | ShipRepairedUnit
  | ConfirmRepairedUnitDelivered
  | ReturnUnrepairedUnit
  | DispatchOnsite
  | CompleteOnsiteRepair
  | IssueQuote
  | AcceptQuote
  | DeclineQuote
  | RejectRepair
  | CloseTicket
  | CancelTicket;

export type CommandType = RepairTicketCommand['type'];
