// Literal oracles of GET /tickets: every filter with the tickets it must return.
import { type Principal } from '../auth/token';
import { partner2, T } from './read-side-oracles-stories.test-support';
import { type TicketFilter } from './ticket-queries';

/** Every ticket, newest request first (requested_at descending; the list's order). */
export const NEWEST_FIRST: readonly string[] = [
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
];

/** Every GET /tickets filter with the tickets it must return, newest request first. */
export const LIST_CASES: readonly {
  readonly name: string;
  readonly filter: Omit<TicketFilter, 'limit'>;
  readonly principal?: Principal;
  readonly expected: readonly string[];
}[] = [
  {
    name: 'no filter: every ticket, newest request first',
    filter: {},
    expected: NEWEST_FIRST,
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
    // Every ticket but the two filed on Nov 25 in Japan (T.abroad, and T.onsitePlanned at 01:00 JST).
    expected: NEWEST_FIRST.filter((t) => t !== T.abroad && t !== T.onsitePlanned),
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
