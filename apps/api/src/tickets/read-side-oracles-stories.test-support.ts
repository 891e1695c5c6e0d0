// The scenario of the read-side oracles (read-side-oracles*.int.spec.ts): ten tickets told command by command.
import { type Actor, type RepairTicketCommand } from '@app/domain';
import { actors, cmd, type RequestOverrides } from '@app/domain/testing';
import type { Principal } from '../auth/token';

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

export const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Ticket ids as the API mints them (UUID v4 shape; the list cursor accepts nothing else). */
export const T = {
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

export const P2 = actors.otherPartner; // P-002, not a Partners Circle member
export const ship = { carrier: 'Yamato', trackingNumber: '1111-2222' };

/** A ticket's story: the request, then [instant, command] steps, each through decide as the api runs it. */
export interface Story {
  readonly id: string;
  readonly request: RequestOverrides;
  readonly requestedAt: string;
  readonly requestedBy?: Actor;
  readonly steps: readonly (readonly [string, RepairTicketCommand])[];
}

export const stories: readonly Story[] = [
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

export const support: Principal = { role: 'support', subject: 'tanaka' };
export const partner1: Principal = { role: 'partner', subject: 'user-1', partnerId: 'P-001' };
export const partner2: Principal = { role: 'partner', subject: 'user-2', partnerId: 'P-002' };

export function story(id: string): Story {
  const found = stories.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no story ${id}`);
  return found;
}

export type Uuid = `${string}-${string}-${string}-${string}-${string}`;

/** One correlation id per command (as the api gives each request): the ticket's id with the step in it. */
export function correlation(ticketId: string, step: number): Uuid {
  return `c0000000-00${String(step).padStart(2, '0')}-4000-8000-${ticketId.slice(-12)}`;
}
