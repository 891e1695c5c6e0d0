/**
 * Versioned integration contracts for repair-ticket events: what other services may rely on. They are
 * MAPPED from the domain events, never the domain events themselves, so the domain can rename or reshape
 * its events freely; a change a consumer would notice gets a new contract version (`.v2`) published next
 * to the old one until consumers move.
 *
 * Every payload carries `ticketId`, `partnerId` (the partner owning the ticket, also on events the partner
 * did not cause, so a consumer can route by partner) and `occurredAt` (business time of the fact), plus only
 * what downstream teams need: no free-text notes, technician names or document references.
 */
import {
  type RepairTicketEvent,
  type RepairTicketEventType,
  REPAIR_TICKET_EVENT_TYPES,
  type PartLine,
  type QuoteLine,
} from '@app/domain';

import {
  arrayOf,
  bool,
  date,
  instant,
  int,
  nullable,
  object,
  oneOf,
  str,
  type JsonSchema,
} from './json-schema';

export const TICKET_EVENT_TYPE_PREFIX = 'ipro.repair.ticket.';

/** Context the relay adds to every payload (not every domain event carries it). */
export interface TicketContext {
  readonly partnerId: string;
}

type DomainData<T extends RepairTicketEventType> = Extract<RepairTicketEvent, { type: T }>['data'];

const shipment = (d: { carrier: string; trackingNumber: string }) => ({
  carrier: d.carrier,
  trackingNumber: d.trackingNumber,
});
const parts = (lines: readonly PartLine[]) =>
  lines.map((l) => ({ partNumber: l.partNumber, quantity: l.quantity }));
const quoteLines = (lines: readonly QuoteLine[]) =>
  lines.map((l) => ({ kind: l.kind, amountJpy: l.amountJpy }));

// Schemas shared by several contracts.
const shipmentSchema = {
  carrier: str('Carrier name, e.g. Yamato'),
  trackingNumber: str("The carrier's tracking number"),
};
const partsSchema = arrayOf(object({ partNumber: str(), quantity: int() }));
const coverage = ['product_warranty', 'partners_circle_extension', 'out_of_warranty', 'not_eligible'];
const scheme = ['replacement', 'pickup_repair', 'onsite_repair', 'none'];

/**
 * Version 1 of each contract: the payload builder (its return type IS the contract's TypeScript type) and
 * its JSON Schema. A mapped type over the domain's event names: a new domain event does not compile until
 * it is given a contract here (or deliberately mapped to `null` = not published).
 */
interface ContractV1<T extends RepairTicketEventType> {
  readonly name: string;
  readonly summary: string;
  readonly payload: (data: DomainData<T>) => Record<string, unknown>;
  readonly schema: Readonly<Record<string, JsonSchema>>;
}

function contract<T extends RepairTicketEventType, P extends Record<string, unknown>>(
  name: string,
  summary: string,
  payload: (data: DomainData<T>) => P,
  schema: Readonly<Record<string, JsonSchema>>,
): ContractV1<T> & { readonly payload: (data: DomainData<T>) => P } {
  return { name, summary, payload, schema };
}

/** A message that says only that something happened: no payload beyond the ticket's envelope. */
function signal<T extends RepairTicketEventType>(name: string, summary: string) {
  return contract<T, Record<string, never>>(name, summary, () => ({}), {});
}

export const TICKET_CONTRACTS_V1 = {
  RepairRequested: contract(
    'repair-requested',
    'A partner filed a repair request for a failed unit (the ticket opens).',
    (d: DomainData<'RepairRequested'>) => ({
      modelNumber: d.unit.modelNumber,
      serialNumber: d.unit.serialNumber,
      failureDate: d.failure.failureDate,
      failedComponent: d.failure.component,
      requestDate: d.requestDate,
      onsiteRequested: d.onsiteRequested,
      prefecture: d.site.prefecture,
      remoteArea: d.site.remoteArea,
      proofOfDeliveryProvided: d.proofOfDelivery !== null,
      endUserReference: d.endUserReference,
    }),
    {
      modelNumber: str(),
      serialNumber: str(),
      failureDate: date('Coverage is decided at this date (Japan time)'),
      failedComponent: oneOf(['main_unit', 'recorder_hdd', 'software_only']),
      requestDate: date(),
      onsiteRequested: bool(),
      prefecture: str(),
      remoteArea: bool('Remote island or area: onsite work adds a travel charge'),
      proofOfDeliveryProvided: bool(),
      endUserReference: nullable(str("The partner's own reference for the end user or site")),
    },
  ),
  WarrantyAssessed: contract(
    'warranty-assessed',
    'The warranty coverage and repair scheme were decided (again after proof or a partner choice).',
    (d: DomainData<'WarrantyAssessed'>) => ({
      trigger: d.trigger,
      coverage: d.assessment.coverage,
      scheme: d.assessment.scheme,
      disposition: d.assessment.disposition,
      billing: d.assessment.billing,
      awaitingProof: d.assessment.awaitingProof,
      quoteRequired: d.assessment.quoteRequired,
      reasons: [...d.assessment.reasons],
      catalogVersion: d.assessment.basis.catalogVersion,
    }),
    {
      trigger: oneOf(['request', 'proof_submitted', 'proceeded_without_proof']),
      coverage: oneOf(coverage),
      scheme: oneOf(scheme),
      disposition: oneOf(['repair', 'software_support', 'unrepairable_buy_new']),
      billing: oneOf(['free', 'chargeable', 'pending_proof', 'none']),
      awaitingProof: bool(),
      quoteRequired: bool(),
      reasons: arrayOf(str(), 'Reason codes of the decision, e.g. within_product_warranty'),
      catalogVersion: str('Catalog / covered-list version the decision used'),
    },
  ),
  ProofOfDeliverySubmitted: contract(
    'proof-of-delivery-submitted',
    'Proof of the end-user delivery date arrived.',
    (d: DomainData<'ProofOfDeliverySubmitted'>) => ({ deliveryDate: d.deliveryDate }),
    { deliveryDate: date() },
  ),
  ProceededWithoutProof: signal(
    'proceeded-without-proof',
    'The partner chose to go on without proof of delivery (the repair becomes chargeable).',
  ),
  Escalated: signal('escalated', 'The portal escalated the ticket to i-PRO customer support.'),
  ReplacementShipped: contract(
    'replacement-shipped',
    'A replacement unit was shipped to the partner (scheme ① replacement).',
    (d: DomainData<'ReplacementShipped'>) => ({
      ...shipment(d),
      modelNumber: d.modelNumber,
      replacementSerial: d.replacementSerial,
    }),
    { ...shipmentSchema, modelNumber: str(), replacementSerial: str() },
  ),
  ReplacementDelivered: contract(
    'replacement-delivered',
    'The replacement unit reached the end user.',
    (d: DomainData<'ReplacementDelivered'>) => ({ deliveredOn: d.deliveredOn }),
    { deliveredOn: date() },
  ),
  FailedUnitReturned: contract(
    'failed-unit-returned',
    'The failed unit was sent back to i-PRO in exchange for the replacement.',
    (d: DomainData<'FailedUnitReturned'>) => ({ ...shipment(d), serialNumber: d.serialNumber }),
    { ...shipmentSchema, serialNumber: str() },
  ),
  FailedUnitSent: contract(
    'failed-unit-sent',
    'The failed unit was sent to i-PRO for repair (scheme ② pickup repair).',
    (d: DomainData<'FailedUnitSent'>) => ({ ...shipment(d), serialNumber: d.serialNumber }),
    { ...shipmentSchema, serialNumber: str() },
  ),
  FailedUnitReceived: contract(
    'failed-unit-received',
    'i-PRO received the failed unit.',
    (d: DomainData<'FailedUnitReceived'>) => ({ receivedOn: d.receivedOn, serialNumber: d.serialNumber }),
    { receivedOn: date(), serialNumber: str() },
  ),
  RepairCompleted: contract(
    'repair-completed',
    'i-PRO repaired the unit.',
    (d: DomainData<'RepairCompleted'>) => ({ partsReplaced: parts(d.partsReplaced) }),
    { partsReplaced: partsSchema },
  ),
  RepairedUnitShipped: contract(
    'repaired-unit-shipped',
    'The repaired unit was shipped back to the partner (at i-PRO cost).',
    (d: DomainData<'RepairedUnitShipped'>) => shipment(d),
    shipmentSchema,
  ),
  RepairedUnitDelivered: contract(
    'repaired-unit-delivered',
    'The repaired unit reached the end user.',
    (d: DomainData<'RepairedUnitDelivered'>) => ({ deliveredOn: d.deliveredOn }),
    { deliveredOn: date() },
  ),
  UnrepairedUnitReturned: contract(
    'unrepaired-unit-returned',
    'After a declined quote, the unit went back unrepaired.',
    (d: DomainData<'UnrepairedUnitReturned'>) => shipment(d),
    shipmentSchema,
  ),
  OnsiteDispatched: contract(
    'onsite-dispatched',
    'A technician and parts were arranged for an onsite repair (scheme ③).',
    (d: DomainData<'OnsiteDispatched'>) => ({ visitDate: d.visitDate, parts: parts(d.parts) }),
    { visitDate: date(), parts: partsSchema },
  ),
  OnsiteRepairCompleted: contract(
    'onsite-repair-completed',
    'The onsite repair was done.',
    (d: DomainData<'OnsiteRepairCompleted'>) => ({
      completedOn: d.completedOn,
      partsUsed: parts(d.partsUsed),
    }),
    { completedOn: date(), partsUsed: partsSchema },
  ),
  ExclusionFound: contract(
    'exclusion-found',
    'Inspection found a warranty exclusion: the repair becomes quoted and chargeable.',
    (d: DomainData<'ExclusionFound'>) => ({ exclusion: d.exclusion, clause: d.clause }),
    {
      exclusion: str('Exclusion code, e.g. relocation_transport_or_drop'),
      clause: int('Clause number in the guide (1-6)'),
    },
  ),
  QuoteIssued: contract(
    'quote-issued',
    'A quote was issued to the partner.',
    (d: DomainData<'QuoteIssued'>) => ({
      quoteId: d.quoteId,
      reason: d.reason,
      totalJpy: d.totalJpy,
      lines: quoteLines(d.lines),
      validUntil: d.validUntil,
    }),
    {
      quoteId: str(),
      reason: oneOf(['assessment', 'exclusion_found']),
      totalJpy: int('Quote total in whole yen'),
      lines: arrayOf(object({ kind: str('Charge kind, e.g. repair, onsite_fee'), amountJpy: int() })),
      validUntil: nullable(date()),
    },
  ),
  QuoteAccepted: contract(
    'quote-accepted',
    'The partner accepted the quote.',
    (d: DomainData<'QuoteAccepted'>) => ({ quoteId: d.quoteId }),
    { quoteId: str() },
  ),
  QuoteDeclined: contract(
    'quote-declined',
    'The partner declined the quote.',
    (d: DomainData<'QuoteDeclined'>) => ({ quoteId: d.quoteId }),
    { quoteId: str() },
  ),
  RepairRejected: contract(
    'repair-rejected',
    'The unit cannot be repaired; the customer buys a new one.',
    (d: DomainData<'RepairRejected'>) => ({ reason: d.reason, advice: d.advice }),
    { reason: oneOf(['unrepairable_model', 'beyond_repair']), advice: oneOf(['buy_new']) },
  ),
  TicketClosed: signal('ticket-closed', 'The ticket was closed.'),
  TicketCancelled: signal('ticket-cancelled', 'The ticket was cancelled.'),
} satisfies { readonly [T in RepairTicketEventType]: ContractV1<T> };

/** The common part of every ticket payload. */
const envelopeSchema = {
  ticketId: str('Ticket id (also the Kafka key and ce_subject)'),
  partnerId: str('Partner owning the ticket'),
  occurredAt: instant('When the fact happened (business time)'),
};

export interface IntegrationEventDefinition {
  /** CloudEvents `type`, e.g. `ipro.repair.ticket.repair-requested.v1`. */
  readonly type: string;
  readonly version: number;
  /** PascalCase message name for the AsyncAPI document, e.g. `RepairRequestedV1`. */
  readonly messageName: string;
  readonly domainType: RepairTicketEventType;
  readonly summary: string;
  readonly schema: JsonSchema;
}

/** Every integration event the mapper can produce (the AsyncAPI document is checked against it). */
export const TICKET_INTEGRATION_EVENTS: readonly IntegrationEventDefinition[] = REPAIR_TICKET_EVENT_TYPES.map(
  (domainType) => {
    const c: ContractV1<typeof domainType> = TICKET_CONTRACTS_V1[domainType] as ContractV1<typeof domainType>;
    return {
      type: `${TICKET_EVENT_TYPE_PREFIX}${c.name}.v1`,
      version: 1,
      messageName: `${domainType}V1`,
      domainType,
      summary: c.summary,
      schema: object({ ...envelopeSchema, ...c.schema }, c.summary),
    };
  },
);

const BY_DOMAIN_TYPE = new Map(TICKET_INTEGRATION_EVENTS.map((d) => [d.domainType, d]));

export function integrationEventFor(domainType: RepairTicketEventType): IntegrationEventDefinition {
  const definition = BY_DOMAIN_TYPE.get(domainType);
  if (!definition) throw new Error(`no integration contract for ${domainType}`);
  return definition;
}

export function isRepairTicketEventType(type: string): type is RepairTicketEventType {
  return BY_DOMAIN_TYPE.has(type as RepairTicketEventType);
}

/** The payload of a domain event under its v1 contract. */
export function ticketPayloadV1(event: RepairTicketEvent, context: TicketContext): Record<string, unknown> {
  const c = TICKET_CONTRACTS_V1[event.type] as ContractV1<typeof event.type>;
  return {
    ticketId: event.data.ticketId,
    partnerId: context.partnerId,
    occurredAt: event.data.at,
    ...c.payload(event.data),
  };
}
