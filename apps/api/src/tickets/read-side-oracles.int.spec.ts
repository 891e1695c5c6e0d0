import { randomBytes } from 'node:crypto';
import { NotFoundException } from '@nestjs/common';
import {
  type Actor,
  decide,
  evolve,
  initialState,
  type RepairTicketCommand,
  type RepairTicketEvent,
  type RepairTicketState,
  sampleCatalog,
} from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import {
  openReadModelDataSource,
  ProjectionRunner,
  readSideOn,
  rebuildAside,
  TicketsProjection,
} from '@app/read-models';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { actors, cmd, type RequestOverrides } from '@app/domain/testing';
import { toStoredEvents } from '@app/event-store/testing';
import type { Principal } from '../auth/token';
import { GetWarrantyStatus, GetWarrantyStatusHandler } from '../warranty/warranty-status';
import {
  GetTicketHistory,
  GetTicketHistoryHandler,
  ListTickets,
  ListTicketsHandler,
  type TicketFilter,
} from './ticket-queries';

/*
 * Independent oracles for the read side (issue #18). Every expected value below is a LITERAL written from the
 * scenario and the partner guide's rules (DOMAIN.md: product warranty = delivery date .. +1 year − 1 day, the
 * Partners Circle extension the next 4 years, a leap-day delivery ending on Feb 28; coverage at the failure
 * date; sold abroad = not eligible; an exclusion found at inspection makes the repair chargeable), never
 * computed by the projection, the domain's evolve or the query code. The same literals are checked after the
 * live projection and again after a rebuild-aside (replay into a shadow schema, then swap).
 *
 * The clock is pinned: each command carries a literal instant (10:00 in Japan unless the scenario is about the
 * Japan day); the warranty view is asked "as of" a literal instant. Only what the database itself stamps
 * (recorded_at, global positions, event ids) is checked by shape rather than by value.
 */

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Ticket ids as the API mints them (UUID v4 shape; the list cursor accepts nothing else). */
const T = {
  replacement: '00000000-0000-4000-8000-0000000000a1',
  pickup: '00000000-0000-4000-8000-0000000000a2',
  onsiteDone: '00000000-0000-4000-8000-0000000000a3',
  onsitePlanned: '00000000-0000-4000-8000-0000000000a4',
  quoteAccepted: '00000000-0000-4000-8000-0000000000a5',
  quoteDeclined: '00000000-0000-4000-8000-0000000000a6',
  cancelled: '00000000-0000-4000-8000-0000000000a7',
  rejected: '00000000-0000-4000-8000-0000000000a8',
  abroad: '00000000-0000-4000-8000-0000000000a9',
  exclusion: '00000000-0000-4000-8000-0000000000aa',
} as const;

const P2 = actors.otherPartner; // P-002, not a Partners Circle member
const ship = { carrier: 'Yamato', trackingNumber: '1111-2222' };

/** A ticket's story: the request, then [instant, command] steps, each through decide as the api runs it. */
interface Story {
  readonly id: string;
  readonly request: RequestOverrides;
  readonly requestedAt: string;
  readonly requestedBy?: Actor;
  readonly steps: readonly (readonly [string, RepairTicketCommand])[];
}

const stories: readonly Story[] = [
  {
    // ① replacement camera, year 1: exchanged and closed.
    id: T.replacement,
    request: {
      model: 'WV-S1136',
      unit: { serialNumber: 'OR-REPL', saleDate: '2026-02-01', deliveryDate: '2026-03-10' },
      failure: { failureDate: '2026-11-20' },
      requestDate: '2026-11-21',
    },
    requestedAt: '2026-11-21T01:00:00.000Z',
    steps: [
      ['2026-11-21T01:05:00.000Z', cmd.escalate()],
      ['2026-11-22T02:00:00.000Z', cmd.shipReplacement({ ...ship, replacementSerial: 'OR-REPL-R' })],
      ['2026-11-24T03:00:00.000Z', cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-24' })],
      ['2026-11-25T04:00:00.000Z', cmd.returnFailedUnit(ship)],
      ['2026-11-26T05:00:00.000Z', cmd.closeTicket(actors.support)],
    ],
  },
  {
    // ② pickup camera in year 4 (Partners Circle extension): repaired and delivered, not closed yet.
    id: T.pickup,
    request: {
      model: 'WV-X1574LN',
      unit: { serialNumber: 'OR-PICK', saleDate: '2023-05-01', deliveryDate: '2023-06-01' },
      failure: { failureDate: '2026-11-18' },
      site: { prefecture: 'Osaka' },
      requestDate: '2026-11-19',
    },
    requestedAt: '2026-11-19T01:00:00.000Z',
    steps: [
      ['2026-11-19T01:05:00.000Z', cmd.escalate()],
      ['2026-11-19T06:00:00.000Z', cmd.sendFailedUnit(ship)],
      [
        '2026-11-20T02:00:00.000Z',
        cmd.receiveFailedUnit({ receivedOn: '2026-11-20', serialNumber: 'OR-PICK' }),
      ],
      ['2026-11-21T02:00:00.000Z', cmd.completeRepair()],
      ['2026-11-21T07:00:00.000Z', cmd.shipRepairedUnit(ship)],
      ['2026-11-23T01:00:00.000Z', cmd.confirmRepairedUnitDelivered({ deliveredOn: '2026-11-23' })],
    ],
  },
  {
    // ③ recorder HDD in year 1: onsite repair done, closed.
    id: T.onsiteDone,
    request: {
      model: 'WJ-NX400',
      unit: { serialNumber: 'OR-NVR-1', saleDate: '2026-04-01', deliveryDate: '2026-05-01' },
      failure: { failureDate: '2026-11-19', component: 'recorder_hdd' },
      site: { prefecture: 'Hokkaido' },
      requestDate: '2026-11-20',
    },
    requestedAt: '2026-11-20T01:00:00.000Z',
    steps: [
      ['2026-11-20T01:05:00.000Z', cmd.escalate()],
      ['2026-11-20T03:00:00.000Z', cmd.dispatchOnsite({ visitDate: '2026-11-23' })],
      ['2026-11-23T08:00:00.000Z', cmd.completeOnsiteRepair({ completedOn: '2026-11-23' })],
      ['2026-11-24T01:00:00.000Z', cmd.closeTicket(actors.support)],
    ],
  },
  {
    // ③ another partner's recorder (not a member), filed at 01:00 in Japan on Nov 25 = Nov 24 in UTC:
    // the visit is planned, so the summary shows its date.
    id: T.onsitePlanned,
    request: {
      model: 'WJ-NX400',
      partnerId: 'P-002',
      member: false,
      unit: {
        serialNumber: 'OR-NVR-2',
        soldToPartnerId: 'P-002',
        saleDate: '2026-06-01',
        deliveryDate: '2026-07-01',
      },
      failure: { failureDate: '2026-11-24' },
      requestDate: '2026-11-25',
    },
    requestedAt: '2026-11-24T16:00:00.000Z',
    requestedBy: P2,
    steps: [
      ['2026-11-24T16:05:00.000Z', cmd.escalate()],
      ['2026-11-25T02:00:00.000Z', cmd.dispatchOnsite({ visitDate: '2026-11-28' })],
    ],
  },
  {
    // Paid ② (delivered 2020, both warranties over): quote accepted, unit on its way in.
    id: T.quoteAccepted,
    request: {
      model: 'WV-X1574LN',
      unit: { serialNumber: 'OR-PAID-A', saleDate: '2020-05-01', deliveryDate: '2020-06-01' },
      failure: { failureDate: '2026-11-20' },
      requestDate: '2026-11-22',
    },
    requestedAt: '2026-11-22T01:00:00.000Z',
    steps: [
      ['2026-11-22T01:05:00.000Z', cmd.escalate()],
      ['2026-11-22T04:00:00.000Z', cmd.issueQuote({ quoteId: 'Q-A', validUntil: '2026-12-22' })],
      ['2026-11-23T04:00:00.000Z', cmd.acceptQuote({ quoteId: 'Q-A' })],
      ['2026-11-24T04:00:00.000Z', cmd.sendFailedUnit(ship)],
    ],
  },
  {
    // Paid ②: quote declined, then closed (the unit never left the partner).
    id: T.quoteDeclined,
    request: {
      model: 'WV-X1574LN',
      unit: { serialNumber: 'OR-PAID-D', saleDate: '2020-05-01', deliveryDate: '2020-06-01' },
      failure: { failureDate: '2026-11-21' },
      requestDate: '2026-11-23',
    },
    requestedAt: '2026-11-23T01:00:00.000Z',
    steps: [
      ['2026-11-23T01:05:00.000Z', cmd.escalate()],
      ['2026-11-23T05:00:00.000Z', cmd.issueQuote({ quoteId: 'Q-D', validUntil: null })],
      ['2026-11-24T05:00:00.000Z', cmd.declineQuote({ quoteId: 'Q-D' })],
      ['2026-11-25T05:00:00.000Z', cmd.closeTicket(actors.support)],
    ],
  },
  {
    // ① filed, then cancelled by the partner before escalation.
    id: T.cancelled,
    request: {
      model: 'WV-S1136',
      unit: { serialNumber: 'OR-CANCEL', saleDate: '2026-02-01', deliveryDate: '2026-03-10' },
      failure: { failureDate: '2026-11-24' },
      requestDate: '2026-11-24',
    },
    requestedAt: '2026-11-24T01:00:00.000Z',
    steps: [['2026-11-24T02:00:00.000Z', cmd.cancelTicket({ reason: 'works again' })]],
  },
  {
    // ② in the extension: received, rejected as beyond repair, sent back unrepaired, closed.
    id: T.rejected,
    request: {
      model: 'WV-X1574LN',
      unit: { serialNumber: 'OR-REJECT', saleDate: '2024-03-01', deliveryDate: '2024-04-01' },
      failure: { failureDate: '2026-11-16' },
      site: { prefecture: 'Okinawa' },
      requestDate: '2026-11-17',
    },
    requestedAt: '2026-11-17T01:00:00.000Z',
    steps: [
      ['2026-11-17T01:05:00.000Z', cmd.escalate()],
      ['2026-11-17T05:00:00.000Z', cmd.sendFailedUnit(ship)],
      [
        '2026-11-18T05:00:00.000Z',
        cmd.receiveFailedUnit({ receivedOn: '2026-11-18', serialNumber: 'OR-REJECT' }),
      ],
      ['2026-11-19T05:00:00.000Z', cmd.rejectRepair({ reason: 'beyond_repair', detail: 'Board burnt' })],
      ['2026-11-20T05:00:00.000Z', cmd.returnUnrepairedUnit(ship)],
      ['2026-11-21T05:00:00.000Z', cmd.closeTicket(actors.support)],
    ],
  },
  {
    // Sold abroad: no warranty applies (the guide: sold in Japan and used in Japan), a paid repair.
    id: T.abroad,
    request: {
      model: 'WV-S1136',
      unit: {
        serialNumber: 'OR-ABROAD',
        saleDate: '2026-02-01',
        deliveryDate: '2026-03-10',
        soldInJapan: false,
      },
      failure: { failureDate: '2026-11-24' },
      requestDate: '2026-11-25',
    },
    requestedAt: '2026-11-25T01:00:00.000Z',
    steps: [],
  },
  {
    // ② in year 1, free until inspection finds a drop (exclusion 3): waiting for the quote.
    id: T.exclusion,
    request: {
      model: 'WV-X1574LN',
      unit: { serialNumber: 'OR-EXCL', saleDate: '2026-01-05', deliveryDate: '2026-01-20' },
      failure: { failureDate: '2026-11-17' },
      requestDate: '2026-11-18',
    },
    requestedAt: '2026-11-18T01:00:00.000Z',
    steps: [
      ['2026-11-18T01:05:00.000Z', cmd.escalate()],
      ['2026-11-18T05:00:00.000Z', cmd.sendFailedUnit(ship)],
      [
        '2026-11-19T05:00:00.000Z',
        cmd.receiveFailedUnit({ receivedOn: '2026-11-19', serialNumber: 'OR-EXCL' }),
      ],
      ['2026-11-20T05:00:00.000Z', cmd.recordInspectionFinding()],
    ],
  },
];

/** The expected ticket_summary rows (ordered by ticket id), column by column. */
const EXPECTED_SUMMARIES = [
  {
    ticket_id: T.replacement,
    partner_id: 'P-001',
    serial: 'OR-REPL',
    model_number: 'WV-S1136',
    status: 'closed',
    scheme: 'replacement',
    coverage: 'product_warranty',
    chargeable: false,
    prefecture: 'Tokyo',
    requested_at: '2026-11-21T01:00:00.000Z',
    failure_date: '2026-11-20',
    updated_at: '2026-11-26T05:00:00.000Z',
    resolved_at: '2026-11-26T05:00:00.000Z',
    visit_date: null,
    revision: 6,
  },
  {
    ticket_id: T.pickup,
    partner_id: 'P-001',
    serial: 'OR-PICK',
    model_number: 'WV-X1574LN',
    status: 'delivered',
    scheme: 'pickup_repair',
    coverage: 'partners_circle_extension',
    chargeable: false,
    prefecture: 'Osaka',
    requested_at: '2026-11-19T01:00:00.000Z',
    failure_date: '2026-11-18',
    updated_at: '2026-11-23T01:00:00.000Z',
    resolved_at: null,
    visit_date: null,
    revision: 7,
  },
  {
    ticket_id: T.onsiteDone,
    partner_id: 'P-001',
    serial: 'OR-NVR-1',
    model_number: 'WJ-NX400',
    status: 'closed',
    scheme: 'onsite_repair',
    coverage: 'product_warranty',
    chargeable: false,
    prefecture: 'Hokkaido',
    requested_at: '2026-11-20T01:00:00.000Z',
    failure_date: '2026-11-19',
    updated_at: '2026-11-24T01:00:00.000Z',
    resolved_at: '2026-11-24T01:00:00.000Z',
    visit_date: null,
    revision: 5,
  },
  {
    ticket_id: T.onsitePlanned,
    partner_id: 'P-002',
    serial: 'OR-NVR-2',
    model_number: 'WJ-NX400',
    status: 'onsite_dispatched',
    scheme: 'onsite_repair',
    coverage: 'product_warranty',
    chargeable: false,
    prefecture: 'Tokyo',
    requested_at: '2026-11-24T16:00:00.000Z',
    failure_date: '2026-11-24',
    updated_at: '2026-11-25T02:00:00.000Z',
    resolved_at: null,
    visit_date: '2026-11-28',
    revision: 3,
  },
  {
    ticket_id: T.quoteAccepted,
    partner_id: 'P-001',
    serial: 'OR-PAID-A',
    model_number: 'WV-X1574LN',
    status: 'failed_unit_in_transit',
    scheme: 'pickup_repair',
    coverage: 'out_of_warranty',
    chargeable: true,
    prefecture: 'Tokyo',
    requested_at: '2026-11-22T01:00:00.000Z',
    failure_date: '2026-11-20',
    updated_at: '2026-11-24T04:00:00.000Z',
    resolved_at: null,
    visit_date: null,
    revision: 5,
  },
  {
    ticket_id: T.quoteDeclined,
    partner_id: 'P-001',
    serial: 'OR-PAID-D',
    model_number: 'WV-X1574LN',
    status: 'closed',
    scheme: 'pickup_repair',
    coverage: 'out_of_warranty',
    chargeable: true,
    prefecture: 'Tokyo',
    requested_at: '2026-11-23T01:00:00.000Z',
    failure_date: '2026-11-21',
    updated_at: '2026-11-25T05:00:00.000Z',
    resolved_at: '2026-11-25T05:00:00.000Z',
    visit_date: null,
    revision: 5,
  },
  {
    ticket_id: T.cancelled,
    partner_id: 'P-001',
    serial: 'OR-CANCEL',
    model_number: 'WV-S1136',
    status: 'cancelled',
    scheme: 'replacement',
    coverage: 'product_warranty',
    chargeable: false,
    prefecture: 'Tokyo',
    requested_at: '2026-11-24T01:00:00.000Z',
    failure_date: '2026-11-24',
    updated_at: '2026-11-24T02:00:00.000Z',
    // Resolution means closed: a cancelled ticket never counts as resolved.
    resolved_at: null,
    visit_date: null,
    revision: 2,
  },
  {
    ticket_id: T.rejected,
    partner_id: 'P-001',
    serial: 'OR-REJECT',
    model_number: 'WV-X1574LN',
    status: 'closed',
    scheme: 'pickup_repair',
    coverage: 'partners_circle_extension',
    chargeable: false,
    prefecture: 'Okinawa',
    requested_at: '2026-11-17T01:00:00.000Z',
    failure_date: '2026-11-16',
    updated_at: '2026-11-21T05:00:00.000Z',
    resolved_at: '2026-11-21T05:00:00.000Z',
    visit_date: null,
    revision: 7,
  },
  {
    ticket_id: T.abroad,
    partner_id: 'P-001',
    serial: 'OR-ABROAD',
    model_number: 'WV-S1136',
    status: 'requested',
    scheme: 'replacement',
    coverage: 'not_eligible',
    chargeable: true,
    prefecture: 'Tokyo',
    requested_at: '2026-11-25T01:00:00.000Z',
    failure_date: '2026-11-24',
    updated_at: '2026-11-25T01:00:00.000Z',
    resolved_at: null,
    visit_date: null,
    revision: 1,
  },
  {
    ticket_id: T.exclusion,
    partner_id: 'P-001',
    serial: 'OR-EXCL',
    model_number: 'WV-X1574LN',
    status: 'awaiting_quote',
    scheme: 'pickup_repair',
    coverage: 'product_warranty',
    // Decision 4: an exclusion found at inspection turns the free repair into a chargeable one.
    chargeable: true,
    prefecture: 'Tokyo',
    requested_at: '2026-11-18T01:00:00.000Z',
    failure_date: '2026-11-17',
    updated_at: '2026-11-20T05:00:00.000Z',
    resolved_at: null,
    visit_date: null,
    revision: 5,
  },
];

/** Expected history per ticket: [revision, type, actor, data.at]. */
const req = (at: string, by = 'partner:P-001') =>
  [
    [0, 'RepairRequested', by, at],
    [1, 'WarrantyAssessed', by, at],
  ] as const;
const EXPECTED_HISTORY: Readonly<Record<string, readonly (readonly [number, string, string, string])[]>> = {
  [T.replacement]: [
    ...req('2026-11-21T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-21T01:05:00.000Z'],
    [3, 'ReplacementShipped', 'support:tanaka', '2026-11-22T02:00:00.000Z'],
    [4, 'ReplacementDelivered', 'partner:P-001', '2026-11-24T03:00:00.000Z'],
    [5, 'FailedUnitReturned', 'partner:P-001', '2026-11-25T04:00:00.000Z'],
    [6, 'TicketClosed', 'support:tanaka', '2026-11-26T05:00:00.000Z'],
  ],
  [T.pickup]: [
    ...req('2026-11-19T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-19T01:05:00.000Z'],
    [3, 'FailedUnitSent', 'partner:P-001', '2026-11-19T06:00:00.000Z'],
    [4, 'FailedUnitReceived', 'support:tanaka', '2026-11-20T02:00:00.000Z'],
    [5, 'RepairCompleted', 'support:tanaka', '2026-11-21T02:00:00.000Z'],
    [6, 'RepairedUnitShipped', 'support:tanaka', '2026-11-21T07:00:00.000Z'],
    [7, 'RepairedUnitDelivered', 'partner:P-001', '2026-11-23T01:00:00.000Z'],
  ],
  [T.onsiteDone]: [
    ...req('2026-11-20T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-20T01:05:00.000Z'],
    [3, 'OnsiteDispatched', 'support:tanaka', '2026-11-20T03:00:00.000Z'],
    [4, 'OnsiteRepairCompleted', 'support:tanaka', '2026-11-23T08:00:00.000Z'],
    [5, 'TicketClosed', 'support:tanaka', '2026-11-24T01:00:00.000Z'],
  ],
  [T.onsitePlanned]: [
    ...req('2026-11-24T16:00:00.000Z', 'partner:P-002'),
    [2, 'Escalated', 'system:portal', '2026-11-24T16:05:00.000Z'],
    [3, 'OnsiteDispatched', 'support:tanaka', '2026-11-25T02:00:00.000Z'],
  ],
  [T.quoteAccepted]: [
    ...req('2026-11-22T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-22T01:05:00.000Z'],
    [3, 'QuoteIssued', 'support:tanaka', '2026-11-22T04:00:00.000Z'],
    [4, 'QuoteAccepted', 'partner:P-001', '2026-11-23T04:00:00.000Z'],
    [5, 'FailedUnitSent', 'partner:P-001', '2026-11-24T04:00:00.000Z'],
  ],
  [T.quoteDeclined]: [
    ...req('2026-11-23T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-23T01:05:00.000Z'],
    [3, 'QuoteIssued', 'support:tanaka', '2026-11-23T05:00:00.000Z'],
    [4, 'QuoteDeclined', 'partner:P-001', '2026-11-24T05:00:00.000Z'],
    [5, 'TicketClosed', 'support:tanaka', '2026-11-25T05:00:00.000Z'],
  ],
  [T.cancelled]: [
    ...req('2026-11-24T01:00:00.000Z'),
    [2, 'TicketCancelled', 'partner:P-001', '2026-11-24T02:00:00.000Z'],
  ],
  [T.rejected]: [
    ...req('2026-11-17T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-17T01:05:00.000Z'],
    [3, 'FailedUnitSent', 'partner:P-001', '2026-11-17T05:00:00.000Z'],
    [4, 'FailedUnitReceived', 'support:tanaka', '2026-11-18T05:00:00.000Z'],
    [5, 'RepairRejected', 'support:tanaka', '2026-11-19T05:00:00.000Z'],
    [6, 'UnrepairedUnitReturned', 'support:tanaka', '2026-11-20T05:00:00.000Z'],
    [7, 'TicketClosed', 'support:tanaka', '2026-11-21T05:00:00.000Z'],
  ],
  [T.abroad]: [...req('2026-11-25T01:00:00.000Z')],
  [T.exclusion]: [
    ...req('2026-11-18T01:00:00.000Z'),
    [2, 'Escalated', 'system:portal', '2026-11-18T01:05:00.000Z'],
    [3, 'FailedUnitSent', 'partner:P-001', '2026-11-18T05:00:00.000Z'],
    [4, 'FailedUnitReceived', 'support:tanaka', '2026-11-19T05:00:00.000Z'],
    [5, 'ExclusionFound', 'support:tanaka', '2026-11-20T05:00:00.000Z'],
  ],
};

const support: Principal = { role: 'support', subject: 'tanaka' };
const partner1: Principal = { role: 'partner', subject: 'user-1', partnerId: 'P-001' };
const partner2: Principal = { role: 'partner', subject: 'user-2', partnerId: 'P-002' };

/** Every GET /tickets filter with the tickets it must return, newest request first. */
const LIST_CASES: readonly {
  readonly name: string;
  readonly filter: Omit<TicketFilter, 'limit'>;
  readonly principal?: Principal;
  readonly expected: readonly string[];
}[] = [
  {
    name: 'no filter: every ticket, newest request first',
    filter: {},
    expected: [
      T.abroad,
      T.onsitePlanned,
      T.cancelled,
      T.quoteDeclined,
      T.quoteAccepted,
      T.replacement,
      T.onsiteDone,
      T.pickup,
      T.exclusion,
      T.rejected,
    ],
  },
  {
    name: 'status=closed',
    filter: { status: ['closed'] },
    expected: [T.quoteDeclined, T.replacement, T.onsiteDone, T.rejected],
  },
  {
    name: 'status=awaiting_quote,onsite_dispatched,requested',
    filter: { status: ['awaiting_quote', 'onsite_dispatched', 'requested'] },
    expected: [T.abroad, T.onsitePlanned, T.exclusion],
  },
  { name: 'status=cancelled', filter: { status: ['cancelled'] }, expected: [T.cancelled] },
  { name: 'status=escalated (none)', filter: { status: ['escalated'] }, expected: [] },
  {
    name: 'scheme=replacement',
    filter: { scheme: ['replacement'] },
    expected: [T.abroad, T.cancelled, T.replacement],
  },
  {
    name: 'scheme=pickup_repair',
    filter: { scheme: ['pickup_repair'] },
    expected: [T.quoteDeclined, T.quoteAccepted, T.pickup, T.exclusion, T.rejected],
  },
  {
    name: 'scheme=onsite_repair',
    filter: { scheme: ['onsite_repair'] },
    expected: [T.onsitePlanned, T.onsiteDone],
  },
  { name: 'scheme=none (none)', filter: { scheme: ['none'] }, expected: [] },
  {
    name: 'coverage=product_warranty',
    filter: { coverage: ['product_warranty'] },
    expected: [T.onsitePlanned, T.cancelled, T.replacement, T.onsiteDone, T.exclusion],
  },
  {
    name: 'coverage=partners_circle_extension',
    filter: { coverage: ['partners_circle_extension'] },
    expected: [T.pickup, T.rejected],
  },
  {
    name: 'coverage=out_of_warranty,not_eligible',
    filter: { coverage: ['out_of_warranty', 'not_eligible'] },
    expected: [T.abroad, T.quoteDeclined, T.quoteAccepted],
  },
  { name: 'partnerId=P-002 (staff)', filter: { partnerId: 'P-002' }, expected: [T.onsitePlanned] },
  {
    name: 'a partner sees only its own tickets, whatever partnerId it asks for',
    filter: { partnerId: 'P-001' },
    principal: partner2,
    expected: [T.onsitePlanned],
  },
  { name: 'serialNumber=OR-PICK', filter: { serialNumber: 'OR-PICK' }, expected: [T.pickup] },
  { name: 'serialNumber of a replacement unit (none)', filter: { serialNumber: 'OR-REPL-R' }, expected: [] },
  {
    name: 'requestedFrom a Japan day: from 00:00 in Japan (the ticket filed at 01:00 JST on Nov 25 is in)',
    filter: { requestedFrom: '2026-11-25' },
    expected: [T.abroad, T.onsitePlanned],
  },
  {
    name: 'requestedTo a Japan day: before 00:00 in Japan (exclusive)',
    filter: { requestedTo: '2026-11-19' },
    expected: [T.exclusion, T.rejected],
  },
  {
    name: 'requestedTo the Japan day the 01:00 JST ticket was filed on: it is out',
    filter: { requestedTo: '2026-11-25' },
    expected: [
      T.cancelled,
      T.quoteDeclined,
      T.quoteAccepted,
      T.replacement,
      T.onsiteDone,
      T.pickup,
      T.exclusion,
      T.rejected,
    ],
  },
  {
    name: 'requestedFrom/To instants: at or after, strictly before',
    filter: { requestedFrom: '2026-11-22T01:00:00.000Z', requestedTo: '2026-11-24T01:00:00Z' },
    expected: [T.quoteDeclined, T.quoteAccepted],
  },
  {
    name: 'requestedFrom an instant with an offset',
    filter: { requestedFrom: '2026-11-24T10:00:00+09:00' },
    expected: [T.abroad, T.onsitePlanned, T.cancelled],
  },
  {
    name: 'filters combine (AND)',
    filter: { status: ['closed'], scheme: ['pickup_repair'], coverage: ['out_of_warranty'] },
    expected: [T.quoteDeclined],
  },
];

describe('read side against literal oracles: ticket_summary, history, list filters, warranty view', () => {
  const suffix = randomBytes(5).toString('hex');
  const schemas = { events: `ro_es_${suffix}`, live: `ro_rm_${suffix}` };
  const admin = new Client({ connectionString: url });
  let store: PostgresEventStore;
  let db: DataSource;

  beforeAll(async () => {
    await admin.connect();
    store = await PostgresEventStore.create({
      connectionString: url,
      schema: schemas.events,
      maxConnections: 2,
    });
    for (const story of stories) {
      let state: RepairTicketState = initialState;
      const request = cmd.requestRepair({ ...story.request, ticketId: story.id }, story.requestedBy);
      const steps: (readonly [string, RepairTicketCommand])[] = [
        [story.requestedAt, request],
        ...story.steps,
      ];
      for (const [step, [now, command]] of steps.entries()) {
        // The owner acts for P-002's ticket where the fixture's default actor is P-001.
        const actor =
          story.requestedBy !== undefined && command.metadata.actor.kind === 'partner'
            ? story.requestedBy
            : command.metadata.actor;
        const events: RepairTicketEvent[] = decide({ ...command, metadata: { actor, now } }, state);
        state = events.reduce(evolve, state);
        await store.appendToStream(
          `ticket-${story.id}`,
          toStoredEvents(events, correlation(story.id, step)),
          {
            expectedRevision: step === 0 ? 'no_stream' : 'any',
          },
        );
      }
    }
    db = await openReadModelDataSource({ url, schema: schemas.live, poolSize: 2 });
    // Reference data for the warranty view (given, not projected: only the tickets projection is under test).
    const catalog = sampleCatalog();
    await db.query(
      `INSERT INTO partner_view (partner_id, name, certified_on, memberships, revision) VALUES
         ('P-001', 'Member Co', NULL, '[{"joinedOn":"2020-04-01","leftOn":null}]', 1),
         ('P-002', 'Other Co', NULL, '[]', 0)`,
    );
    await db.query(
      `INSERT INTO unit_sale_view (serial, model_number, partner_id, sale_date, sold_in_japan) VALUES
         ('OR-REPL', 'WV-S1136', 'P-001', '2026-02-01', true),
         ('OR-PICK', 'WV-X1574LN', 'P-001', '2023-05-01', true),
         ('OR-PAID-A', 'WV-X1574LN', 'P-001', '2020-05-01', true),
         ('OR-NVR-2', 'WJ-NX400', 'P-002', '2026-06-01', true),
         ('OR-LEAP', 'WV-X1574LN', 'P-001', '2024-02-01', true)`,
    );
    await db.query(
      `INSERT INTO catalog_version_view (version, published_at, recorded_at, entries, entry_count)
       VALUES ($1, $2, now(), $3, $4)`,
      [catalog.version, catalog.publishedAt, JSON.stringify(catalog.entries), catalog.entries.length],
    );
    const runner = new ProjectionRunner(store, db, [new TicketsProjection()], { error: () => undefined }, 4);
    await runner.start();
    await runner.stop();
  });

  afterAll(async () => {
    await db?.destroy();
    await store?.close();
    for (const s of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await admin.end();
  });

  const summaries = async () =>
    (
      await admin.query<{ r: unknown }>(
        `SELECT json_build_object(
           'ticket_id', ticket_id, 'partner_id', partner_id, 'serial', serial, 'model_number', model_number,
           'status', status, 'scheme', scheme, 'coverage', coverage, 'chargeable', chargeable,
           'prefecture', prefecture,
           'requested_at', to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'failure_date', failure_date::text,
           'updated_at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'resolved_at', to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'visit_date', visit_date::text, 'revision', revision) AS r
         FROM "${schemas.live}".ticket_summary ORDER BY ticket_id`,
      )
    ).rows.map((row) => row.r);

  const list = async (filter: Omit<TicketFilter, 'limit'>, principal: Principal = support, limit = 50) =>
    new ListTicketsHandler(readSideOn(db).tickets).execute(new ListTickets({ ...filter, limit }, principal));

  const warranty = (serial: string, principal: Principal, deliveryDate?: string) =>
    new GetWarrantyStatusHandler(readSideOn(db).tickets, readSideOn(db).reference).execute(
      // As of 2026-11-30 11:00 in Japan.
      new GetWarrantyStatus(serial, deliveryDate, principal, '2026-11-30T02:00:00.000Z'),
    );

  /** The same checks after the live projection and after the rebuild. */
  const suite = (when: string) => {
    it(`${when}: ticket_summary holds exactly the expected rows`, async () => {
      expect(await summaries()).toEqual(EXPECTED_SUMMARIES);
    });

    it(`${when}: each ticket's history lists its events in order, with actor and time of each`, async () => {
      for (const [id, expected] of Object.entries(EXPECTED_HISTORY)) {
        const { events } = await new GetTicketHistoryHandler(readSideOn(db).tickets).execute(
          new GetTicketHistory(id, support),
        );
        expect({
          id,
          events: events.map((e) => [e.revision, e.type, e.actor, (e.data as { at: string }).at]),
        }).toEqual({
          id,
          events: expected,
        });
        // Stamped by the store, so checked by shape: one correlation per command, positions ascending.
        expect(events.every((e, i) => i === 0 || e.globalPosition > events[i - 1]!.globalPosition)).toBe(
          true,
        );
        expect(events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.recordedAt))).toBe(true);
        expect(events[0]?.correlationId).toBe(correlation(id, 0));
        expect(events.at(-1)?.correlationId).toBe(correlation(id, story(id).steps.length));
      }
    });

    it.each(LIST_CASES)(`${when}: GET /tickets $name`, async ({ filter, principal, expected }) => {
      const page = await list(filter, principal);
      expect(page.items.map((i) => i.ticketId)).toEqual(expected);
      expect(page.nextCursor).toBeNull();
    });

    it(`${when}: list items carry the summary columns of their rows`, async () => {
      const page = await list({ serialNumber: 'OR-PAID-A' });
      expect(page.items).toEqual([
        {
          ticketId: T.quoteAccepted,
          partnerId: 'P-001',
          serialNumber: 'OR-PAID-A',
          modelNumber: 'WV-X1574LN',
          status: 'failed_unit_in_transit',
          scheme: 'pickup_repair',
          coverage: 'out_of_warranty',
          chargeable: true,
          requestedAt: '2026-11-22T01:00:00.000Z',
          updatedAt: '2026-11-24T04:00:00.000Z',
          revision: 5,
        },
      ]);
    });

    it(`${when}: pages of 3 walk the whole list once, newest first`, async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const p = await list(cursor === undefined ? {} : { cursor }, support, 3);
        seen.push(...p.items.map((i) => i.ticketId));
        if (p.nextCursor === null) break;
        cursor = p.nextCursor;
      }
      expect(seen).toEqual(LIST_CASES[0]!.expected);
    });

    it(`${when}: warranty view of a unit in the extension (periods by the partner guide's rules)`, async () => {
      expect(await warranty('OR-PICK', partner1)).toEqual({
        serialNumber: 'OR-PICK',
        modelNumber: 'WV-X1574LN',
        asOf: '2026-11-30',
        deliveryDate: '2023-06-01',
        deliveryDateSource: 'latest_ticket',
        coverage: 'partners_circle_extension',
        reasons: ['within_partners_circle_extension'],
        scheme: 'pickup_repair',
        periods: {
          productWarranty: { start: '2023-06-01', end: '2024-05-31' },
          partnersCircleExtension: { start: '2024-06-01', end: '2028-05-31' },
        },
        catalogVersion: 'sample-2023-05',
        membership: {
          partnerId: 'P-001',
          saleDate: '2023-05-01',
          memberAtSaleDate: true,
          period: { joinedOn: '2020-04-01', leftOn: null },
          // The partner record's version: revision 1 = two events (registered, joined).
          recordVersion: 2,
        },
        sale: { partnerId: 'P-001', saleDate: '2023-05-01', soldInJapan: true },
        pastTickets: [
          {
            ticketId: T.pickup,
            status: 'delivered',
            scheme: 'pickup_repair',
            coverage: 'partners_circle_extension',
            requestedAt: '2026-11-19T01:00:00.000Z',
          },
        ],
      });
    });

    it(`${when}: warranty view of a unit past both warranties, and of a year-1 unit`, async () => {
      expect(await warranty('OR-PAID-A', support)).toMatchObject({
        coverage: 'out_of_warranty',
        deliveryDate: '2020-06-01',
        periods: {
          productWarranty: { start: '2020-06-01', end: '2021-05-31' },
          partnersCircleExtension: { start: '2021-06-01', end: '2025-05-31' },
        },
        pastTickets: [
          { ticketId: T.quoteAccepted, status: 'failed_unit_in_transit', coverage: 'out_of_warranty' },
        ],
      });
      expect(await warranty('OR-REPL', support)).toMatchObject({
        coverage: 'product_warranty',
        scheme: 'replacement',
        periods: {
          productWarranty: { start: '2026-03-10', end: '2027-03-09' },
          partnersCircleExtension: { start: '2027-03-10', end: '2031-03-09' },
        },
        pastTickets: [{ ticketId: T.replacement, status: 'closed', requestedAt: '2026-11-21T01:00:00.000Z' }],
      });
    });

    it(`${when}: warranty view of a non-member's recorder: product warranty only, seen by its partner only`, async () => {
      expect(await warranty('OR-NVR-2', partner2)).toMatchObject({
        coverage: 'product_warranty',
        scheme: 'onsite_repair',
        periods: {
          productWarranty: { start: '2026-07-01', end: '2027-06-30' },
          partnersCircleExtension: null,
        },
        pastTickets: [{ ticketId: T.onsitePlanned, status: 'onsite_dispatched' }],
      });
      await expect(warranty('OR-NVR-2', partner1)).rejects.toBeInstanceOf(NotFoundException);
    });

    it(`${when}: warranty view of a leap-day delivery: the product warranty ends on Feb 28 (decision 2)`, async () => {
      expect(await warranty('OR-LEAP', support, '2024-02-29')).toMatchObject({
        deliveryDate: '2024-02-29',
        deliveryDateSource: 'query',
        coverage: 'partners_circle_extension',
        periods: {
          productWarranty: { start: '2024-02-29', end: '2025-02-28' },
          partnersCircleExtension: { start: '2025-03-01', end: '2029-02-28' },
        },
        pastTickets: [],
      });
    });
  };

  describe('after the live projection', () => suite('live'));

  describe('after a rebuild-aside (replayed into a shadow schema, swapped in)', () => {
    beforeAll(async () => {
      const result = await rebuildAside({
        url,
        liveSchema: schemas.live,
        store,
        projections: [new TicketsProjection()],
        pageSize: 4,
        lanes: 2,
      });
      // Not vacuous: every event was replayed (2 + steps per story).
      expect(result.eventsRead).toBe(Object.values(EXPECTED_HISTORY).reduce((n, h) => n + h.length, 0));
    });
    suite('rebuilt');
  });
});

function story(id: string): Story {
  const found = stories.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no story ${id}`);
  return found;
}

type Uuid = `${string}-${string}-${string}-${string}-${string}`;

/** One correlation id per command (as the api gives each request): the ticket's id with the step in it. */
function correlation(ticketId: string, step: number): Uuid {
  return `c0000000-00${String(step).padStart(2, '0')}-4000-8000-${ticketId.slice(-12)}`;
}
