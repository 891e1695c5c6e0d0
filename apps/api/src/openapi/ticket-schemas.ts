import type { SchemaObject } from '@nestjs/swagger';
import {
  BILLED_LINE_STATUSES,
  CHARGE_KINDS,
  EXCLUSION_CODES,
  FAILED_COMPONENTS,
  PROOF_KINDS,
  QUOTE_STATUSES,
  REJECTION_REASONS,
  REPAIR_TICKET_COMMAND_TYPES,
  TICKET_STATUSES,
} from '@app/domain';
import { commandPath, isTicketCommandType, TICKET_COMMAND_METHOD } from '../tickets/ticket-routes';
import {
  array,
  BILLINGS,
  bool,
  COVERAGES,
  date,
  DISPOSITIONS,
  instant,
  int,
  nullable,
  object,
  OFFER_KINDS,
  oneOf,
  ref,
  SCHEMES,
  str,
} from './schema-kit';

/** The ticket read shapes: the view with its billing and actions, list page, history, as-of view. */
export const TICKET_SCHEMAS: Record<string, SchemaObject> = {
  ChargeLine: object({ kind: oneOf(CHARGE_KINDS), description: str, amountJpy: nullable(int) }),
  PartLine: object({ partNumber: str, description: str, quantity: int }),
  Shipment: object({ carrier: str, trackingNumber: str, shippedAt: instant, deliveredOn: nullable(date) }),
  Assessment: object(
    {
      coverage: oneOf(COVERAGES),
      reasons: array(str),
      disposition: oneOf(DISPOSITIONS),
      scheme: oneOf(SCHEMES),
      billing: oneOf(BILLINGS),
      chargeLines: array(ref('ChargeLine')),
      offers: array(object({ kind: oneOf(OFFER_KINDS), description: str })),
      awaitingProof: bool,
      quoteRequired: bool,
      periods: ref('WarrantyPeriods'),
      failureDate: date,
      requestDate: date,
      deliveryDate: date,
      basis: {
        type: 'object',
        description:
          'What the decision rested on; the membership is null for a partner when the unit was sold by another',
        properties: {
          catalogVersion: str,
          catalogEntry: nullable(ref('CatalogEntry')),
          membership: nullable(ref('MembershipFact')),
          proofOfDelivery: nullable(object({ kind: oneOf(PROOF_KINDS), reference: str })),
          proceededWithoutProof: bool,
        },
        required: [
          'catalogVersion',
          'catalogEntry',
          'membership',
          'proofOfDelivery',
          'proceededWithoutProof',
        ],
      },
    },
    'The warranty decision: coverage, billing, charge lines, periods and its basis',
  ),
  Quote: object({
    quoteId: str,
    reason: str,
    lines: array(ref('ChargeLine')),
    totalJpy: int,
    validUntil: nullable(date),
    issuedAt: instant,
    status: oneOf(['issued', 'accepted', 'declined']),
  }),
  BilledLine: object(
    {
      kind: oneOf(CHARGE_KINDS),
      description: str,
      amountJpy: { ...nullable(int), description: 'Null until support prices the line in a quote' },
      quoteId: { ...nullable(str), description: 'The quote that priced the line' },
      status: oneOf(BILLED_LINE_STATUSES),
    },
    'A charge line as the ticket knows it now: priced by a quote (and that quote’s status) or not yet',
  ),
  TicketBilling: object(
    {
      status: {
        ...oneOf(BILLINGS),
        description:
          'The repair’s billing now: the assessment’s, made chargeable by an exclusion found at inspection',
      },
      basis: oneOf(['assessment', 'exclusion_found']),
      chargeable: {
        ...bool,
        description:
          'The partner pays something (a paid repair or any charge line); the list’s `chargeable` is this value',
      },
      quoteStatus: oneOf(QUOTE_STATUSES),
      lines: array(ref('BilledLine')),
      acceptedJpy: { ...int, description: 'Total of the accepted quotes: what the partner agreed to pay' },
    },
    'The ticket’s current billing (the assessment keeps the decision at filing)',
  ),
  TicketView: object(
    {
      ticketId: { type: 'string', format: 'uuid' },
      revision: { type: 'integer', minimum: 0, description: 'Also the ETag; send it back as If-Match' },
      status: oneOf(TICKET_STATUSES),
      partnerId: str,
      scheme: oneOf(SCHEMES),
      coverage: nullable(oneOf(COVERAGES)),
      unit: nullable(
        object(
          {
            serialNumber: str,
            modelNumber: str,
            deliveryDate: date,
            soldToPartnerId: nullable(str),
            saleDate: nullable(date),
            soldInJapan: nullable(bool),
            usedInJapan: bool,
          },
          'The sale facts are null for a partner when the unit was sold to another partner',
        ),
      ),
      failure: nullable(object({ failureDate: date, description: str, component: oneOf(FAILED_COMPONENTS) })),
      site: nullable(object({ prefecture: str, remoteArea: bool })),
      assessment: nullable(ref('Assessment')),
      billing: nullable(ref('TicketBilling')),
      quotes: array(ref('Quote')),
      exclusion: nullable(object({ exclusion: oneOf(EXCLUSION_CODES), clause: int, findings: str })),
      shipments: object({
        replacement: nullable({
          allOf: [ref('Shipment'), object({ replacementSerial: str })],
        }),
        failedUnit: nullable(ref('Shipment')),
        repairedUnit: nullable(ref('Shipment')),
        unrepairedReturn: nullable(ref('Shipment')),
      }),
      onsite: nullable(
        object({
          technicianName: str,
          visitDate: date,
          parts: array(ref('PartLine')),
          completedOn: nullable(date),
          workSummary: nullable(str),
        }),
      ),
      repair: nullable(object({ workSummary: str, partsReplaced: array(ref('PartLine')) })),
      rejection: nullable(object({ reason: oneOf(REJECTION_REASONS), detail: str })),
      cancellationReason: nullable(str),
      openedAt: nullable(instant),
      updatedAt: nullable(instant),
      closedAt: nullable(instant),
      allowedActions: {
        ...array(ref('TicketAction')),
        description: 'What this caller may do next, each as it is called (none for auditors and ops)',
      },
    },
    'A ticket as this caller may see it, with the actions allowed next',
  ),
  TicketAction: object(
    {
      action: {
        ...oneOf(REPAIR_TICKET_COMMAND_TYPES.filter(isTicketCommandType).map(commandPath)),
        description: 'The route segment: a stable key for the action (labels, buttons)',
        example: 'ship-replacement',
      },
      method: oneOf([TICKET_COMMAND_METHOD]),
      path: {
        type: 'string',
        description: 'Relative to the API’s base URL, with the ticket id filled in',
        example: '/tickets/0b6f2c6e-7d1c-4f55-9d59-1f0f0c3c2a11/ship-replacement',
      },
    },
    'An action the caller may take next: send `method` to `path` with the command’s body',
  ),
  TicketListItem: object({
    ticketId: { type: 'string', format: 'uuid' },
    partnerId: str,
    serialNumber: str,
    modelNumber: str,
    status: oneOf(TICKET_STATUSES),
    scheme: nullable(oneOf(SCHEMES)),
    coverage: nullable(oneOf(COVERAGES)),
    chargeable: {
      ...bool,
      description: 'The ticket’s `billing.chargeable` (the detail shows why, line by line)',
    },
    requestedAt: instant,
    updatedAt: instant,
    revision: int,
  }),
  TicketPage: object(
    {
      items: array(ref('TicketListItem')),
      nextCursor: {
        type: 'string',
        nullable: true,
        description: 'Pass as `cursor` for the next page; null on the last',
      },
    },
    'One page of tickets, newest first',
  ),
  HistoryEntry: object({
    revision: int,
    globalPosition: int,
    eventId: { type: 'string', format: 'uuid' },
    type: str,
    schemaVersion: int,
    recordedAt: instant,
    actor: nullable(str),
    correlationId: nullable(str),
    causationId: nullable(str),
    data: {
      type: 'object',
      description: 'The event’s data (sale facts withheld from a partner, as in the view)',
    },
  }),
  TicketHistory: object({ ticketId: { type: 'string', format: 'uuid' }, events: array(ref('HistoryEntry')) }),
  TicketAsOf: object(
    {
      asOf: instant,
      revision: int,
      lastEventType: str,
      lastEventRecordedAt: instant,
      ticket: ref('TicketView'),
    },
    'The ticket as it stood at `asOf`',
  ),
};
