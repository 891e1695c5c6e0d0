import type { SchemaObject } from '@nestjs/swagger';
import type { Billing } from '@app/domain';
import {
  BILLED_LINE_STATUSES,
  CHARGE_KINDS,
  EXCLUSION_CODES,
  FAILED_COMPONENTS,
  PRODUCT_CATEGORIES,
  PROOF_KINDS,
  QUOTE_STATUSES,
  REJECTION_REASONS,
  REPAIR_TICKET_COMMAND_TYPES,
  TICKET_STATUSES,
} from '@app/domain';
import { commandPath, isTicketCommandType, TICKET_COMMAND_METHOD } from '../tickets/ticket-routes';

/**
 * The named schemas of every success body (and the one error body), added to the document's components by
 * contract.ts. Written against the read shapes (TicketView, TicketPage, TicketAsOf, WarrantyStatus,
 * DashboardSummary, the reference read models); the e2e suites validate every answer against them
 * (test/support/openapi-validator.ts), so a shape that drifts fails a test. Enums are the domain's constants.
 */

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
const nullable = (s: SchemaObject): SchemaObject =>
  '$ref' in s ? { allOf: [s], nullable: true } : { ...s, nullable: true };
const str: SchemaObject = { type: 'string' };
const int: SchemaObject = { type: 'integer' };
const bool: SchemaObject = { type: 'boolean' };
const date: SchemaObject = { type: 'string', format: 'date', example: '2026-04-01' };
const instant: SchemaObject = { type: 'string', format: 'date-time', example: '2026-04-01T09:00:00.000Z' };
const array = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
const oneOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });

/** An object whose listed properties are all present (null where the type allows it). */
function object(properties: Record<string, SchemaObject>, description?: string): SchemaObject {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
  };
}

export const SCHEMES = ['replacement', 'pickup_repair', 'onsite_repair', 'none'] as const;
export const COVERAGES = [
  'product_warranty',
  'partners_circle_extension',
  'out_of_warranty',
  'not_eligible',
] as const;
const BILLINGS = ['free', 'chargeable', 'pending_proof', 'none'] as const satisfies readonly Billing[];
const DISPOSITIONS = ['repair', 'software_support', 'unrepairable_buy_new'] as const;
const OFFER_KINDS = ['paid_repair', 'hdd_part_sale', 'software_support', 'buy_new'] as const;

const period = object({ start: date, end: date });
const membershipPeriod = object({ joinedOn: date, leftOn: nullable(date) });

export const RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details (`application/problem+json`) with the service’s own members: `code` (stable, ' +
      'machine-readable), `message` (= `detail`), `field` (the request field at fault, 400), `rule` (the ' +
      'business rule refused, 422), `currentRevision` (the ticket’s revision, 409 revision_conflict) and the ' +
      '`correlationId` of the request (also in the X-Correlation-Id header).',
    properties: {
      type: {
        type: 'string',
        description: 'URI reference naming the problem type',
        example: 'urn:ipro-repair:problem:validation_failed',
      },
      title: { type: 'string', description: 'Short summary of the status', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'serialNumber: must be a string' },
      code: { type: 'string', example: 'validation_failed' },
      message: { type: 'string', description: 'Same as `detail` (kept for existing clients)' },
      field: { type: 'string', example: 'serialNumber' },
      rule: { type: 'string' },
      currentRevision: { type: 'integer', nullable: true },
      correlationId: { type: 'string' },
      openTicketId: { type: 'string', description: '409 open_ticket_exists: the open ticket of the unit' },
      currentStatus: { type: 'string', description: '409 illegal_transition: the ticket’s status' },
      attempted: { type: 'string', description: '409 illegal_transition: the command refused' },
      errors: { type: 'array', items: {}, description: 'Every field refused (400), when more than one' },
    },
    required: ['type', 'title', 'status', 'detail', 'code', 'message'],
  },

  ChargeLine: object({ kind: oneOf(CHARGE_KINDS), description: str, amountJpy: nullable(int) }),
  PartLine: object({ partNumber: str, description: str, quantity: int }),
  Shipment: object({ carrier: str, trackingNumber: str, shippedAt: instant, deliveredOn: nullable(date) }),
  MembershipPeriod: membershipPeriod,
  MembershipFact: object({
    partnerId: str,
    saleDate: date,
    memberAtSaleDate: bool,
    period: nullable(membershipPeriod),
    recordVersion: nullable(int),
  }),
  WarrantyPeriods: object({
    productWarranty: nullable(period),
    partnersCircleExtension: nullable(period),
  }),
  CatalogEntry: object({
    modelNumber: str,
    name: str,
    category: oneOf(PRODUCT_CATEGORIES),
    onCoveredList: bool,
    productWarranty: bool,
    repairable: bool,
    repairScheme: nullable(str),
  }),
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
  WarrantyStatus: object({
    serialNumber: str,
    modelNumber: str,
    asOf: date,
    deliveryDate: date,
    deliveryDateSource: oneOf(['query', 'latest_ticket']),
    coverage: oneOf(COVERAGES),
    reasons: array(str),
    scheme: oneOf(SCHEMES),
    periods: ref('WarrantyPeriods'),
    catalogVersion: str,
    membership: nullable(ref('MembershipFact')),
    sale: nullable(object({ partnerId: str, saleDate: date, soldInJapan: bool })),
    pastTickets: array(
      object({
        ticketId: str,
        status: str,
        scheme: nullable(str),
        coverage: nullable(str),
        requestedAt: instant,
      }),
    ),
  }),
  ProjectionLag: {
    type: 'object',
    properties: { eventsBehind: int, msBehind: { type: 'number' }, position: int, running: bool },
    required: ['eventsBehind', 'msBehind', 'running'],
  },
  DashboardSummary: object({
    generatedAt: instant,
    openTickets: array(object({ scheme: str, status: str, count: int })),
    openTotal: int,
    aging: array(object({ bucket: str, count: int })),
    meanTimeToResolution: array(object({ scheme: str, closed: int, meanHours: { type: 'number' } })),
    replacementsInTransit: int,
    onsiteVisitsScheduled: object({ count: int, byDate: array(object({ visitDate: date, count: int })) }),
    projectionLag: ref('ProjectionLag'),
  }),
  Health: {
    type: 'object',
    description: 'Overall status, the projections’ lag and each other part (e.g. `relay`) by name',
    properties: {
      status: oneOf(['ok', 'degraded', 'down']),
      projections: {
        type: 'object',
        properties: {
          status: oneOf(['ok', 'degraded', 'down']),
          eventsBehind: int,
          msBehind: { type: 'number' },
          position: int,
          running: bool,
          lastError: str,
        },
        required: ['status', 'running'],
      },
    },
    required: ['status', 'projections'],
    additionalProperties: {
      type: 'object',
      properties: { status: oneOf(['ok', 'degraded', 'down']) },
      required: ['status'],
    },
  },
  Partner: object(
    {
      partnerId: str,
      name: str,
      certifiedOn: nullable(date),
      memberships: array(ref('MembershipPeriod')),
      revision: { ...int, description: 'Revision of the partner’s record (its events, from 0)' },
    },
    'A partner with its membership history (`GET /partners/{partnerId}`, and the answer of every partner write)',
  ),
  UnitSale: object(
    { serial: str, modelNumber: str, partnerId: str, saleDate: date, soldInJapan: bool },
    'A sales record (`GET /unit-sales/{serial}`, and the answer of `POST /unit-sales`)',
  ),
  CatalogVersionSummary: object({ version: str, publishedAt: date, recordedAt: instant, entryCount: int }),
  CatalogVersion: object(
    {
      version: str,
      publishedAt: date,
      recordedAt: instant,
      entryCount: int,
      entries: array(ref('CatalogEntry')),
    },
    'A catalog version with its entries (`GET /catalog/versions/{version}`, and the answer of publishing it)',
  ),
};
