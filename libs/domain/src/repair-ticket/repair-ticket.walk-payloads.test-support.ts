// Payloads of the repair-ticket walk (repair-ticket.property.unit.spec.ts): valid for a state and a day, or with
// one payload rule broken. The rules they follow are listed in repair-ticket.walk.test-support.ts.
import fc from 'fast-check';
import {
  cmd,
  paidCamera,
  PARTNER_ID,
  type RequestOverrides,
} from '../../testing/repair-ticket-fixtures.test-support';
import { type Actor } from '../shared/actor';
import { addDays, type CalendarDate, type Instant } from '../shared/calendar';
import { type CommandType, type RepairTicketCommand } from './repair-ticket.commands';
import { EXCLUSION_CLAUSE, type ExclusionCode } from './repair-ticket.events';
import { pendingQuote, type RepairTicketState, type TicketShipments } from './repair-ticket.state';

export const START_DAY: CalendarDate = '2026-11-25';
const SERIAL_OF_FILED_UNIT = 'SN-0001';

/** Requests the walk starts from, each leading to a different scheme or first status. */
export const requests: readonly RequestOverrides[] = [
  {}, // ① replacement camera, free
  { model: 'WV-X1574LN' }, // ② pickup camera, free
  { model: 'WJ-NX400' }, // ③ recorder in year 1, onsite, free
  {
    model: 'WJ-NX400',
    onsiteRequested: true,
    site: { remoteArea: true },
    unit: { deliveryDate: '2024-06-01', saleDate: '2024-05-01' },
  }, // ③ onsite on request after year 1: quoted
  paidCamera, // ② after five years: quoted
  { proofOfDelivery: null }, // held for proof
  { unit: { soldInJapan: false } },
  { model: 'WV-Q122A' }, // unrepairable: rejected at once
  { failure: { component: 'software_only' } }, // referred to software support
];

/** How the generator picks the free parts of a payload: the walk picks at random, the probes at both ends. */
export interface Chooser {
  one<T>(options: readonly T[]): T;
  /** A day in [lo, hi] (lo ≤ hi). */
  day(lo: CalendarDate, hi: CalendarDate): CalendarDate;
}

export const low: Chooser = { one: (o) => o[0]!, day: (lo) => lo };
export const high: Chooser = { one: (o) => o[o.length - 1]!, day: (_lo, hi) => hi };

export function randomChooser(g: fc.GeneratorValue): Chooser {
  return {
    one: (o) => o[g(fc.integer, { min: 0, max: o.length - 1 })]!,
    day: (lo, hi) => {
      const span = daysBetween(lo, hi);
      return addDays(lo, g(fc.integer, { min: 0, max: span }));
    },
  };
}

function daysBetween(lo: CalendarDate, hi: CalendarDate): number {
  return Math.round((Date.parse(`${hi}T00:00:00Z`) - Date.parse(`${lo}T00:00:00Z`)) / 86_400_000);
}

/** The Japan day of an instant, by Intl (independent of the domain's own conversion). */
const tokyoDay = (instant: Instant): CalendarDate =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(instant));

/** The walk's clock: a Japan day and an hour of that day (JST), so that UTC and Tokyo days differ at times. */
export interface Clock {
  readonly today: CalendarDate;
  readonly now: Instant;
}

export function clockAt(today: CalendarDate, hourJst: number): Clock {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return { today, now: new Date(Date.UTC(y, m - 1, d, hourJst - 9, 17)).toISOString() };
}

const EXCLUSIONS = Object.keys(EXCLUSION_CLAUSE) as ExclusionCode[];
const max = (a: CalendarDate, b: CalendarDate): CalendarDate => (a > b ? a : b);

/** A command of `type` by `actor` with a payload valid for `state` on `clock`'s day (see the list above). */
export function validCommand(
  type: CommandType,
  state: RepairTicketState,
  actor: Actor,
  clock: Clock,
  c: Chooser,
  request: RequestOverrides,
): RepairTicketCommand {
  const input = state.assessmentInput;
  const ship = { carrier: c.one(['Yamato', 'Sagawa']), trackingNumber: c.one(['1111-2222', '3333-4444']) };
  /** A day from the leg's shipment (today when it never left) up to today. */
  const arrivalOf = (leg: keyof TicketShipments) => {
    const shippedAt = state.shipments[leg]?.shippedAt;
    return c.day(shippedAt === undefined ? clock.today : tokyoDay(shippedAt), clock.today);
  };
  const built = ((): RepairTicketCommand => {
    switch (type) {
      case 'RequestRepair':
        return cmd.requestRepair(
          { ...request, partnerId: actor.kind === 'partner' ? actor.partnerId : PARTNER_ID },
          actor,
        );
      case 'SubmitProofOfDelivery':
        return cmd.submitProof(
          {
            proof: { kind: c.one(['delivery_slip', 'invoice', 'other'] as const), reference: 'DOC-7' },
            deliveryDate: input === null ? START_DAY : c.day(input.unit.saleDate, input.failure.failureDate),
          },
          actor,
        );
      case 'ProceedWithoutProof':
        return cmd.proceedWithoutProof(actor);
      case 'Escalate':
        return cmd.escalate(actor);
      case 'ShipReplacement':
        return cmd.shipReplacement({ ...ship, replacementSerial: c.one(['SN-9001', 'SN-9002']) }, actor);
      case 'ConfirmReplacementDelivered':
        return cmd.confirmReplacementDelivered({ deliveredOn: arrivalOf('replacement') }, actor);
      case 'ReturnFailedUnit':
        return cmd.returnFailedUnit(ship, actor);
      case 'SendFailedUnit':
        return cmd.sendFailedUnit(ship, actor);
      case 'ReceiveFailedUnit':
        return cmd.receiveFailedUnit(
          {
            receivedOn: arrivalOf('failedUnit'),
            serialNumber: input?.unit.serialNumber ?? SERIAL_OF_FILED_UNIT,
          },
          actor,
        );
      case 'RecordInspectionFinding':
        return cmd.recordInspectionFinding(
          { exclusion: c.one(EXCLUSIONS), findings: 'Found on inspection' },
          actor,
        );
      case 'CompleteRepair':
        return cmd.completeRepair(
          {
            workSummary: 'Board replaced',
            partsReplaced: c.one([[], [{ partNumber: 'MB-1', description: 'Main board', quantity: 2 }]]),
          },
          actor,
        );
      case 'ShipRepairedUnit':
        return cmd.shipRepairedUnit(ship, actor);
      case 'ConfirmRepairedUnitDelivered':
        return cmd.confirmRepairedUnitDelivered({ deliveredOn: arrivalOf('repairedUnit') }, actor);
      case 'ReturnUnrepairedUnit':
        return cmd.returnUnrepairedUnit(ship, actor);
      case 'DispatchOnsite': {
        // A visit planned up to two days ahead: completing it then waits for the clock (a day rule, above).
        const from = input === null ? clock.today : max(input.requestDate, addDays(clock.today, -2));
        return cmd.dispatchOnsite({ visitDate: c.day(from, addDays(clock.today, 2)) }, actor);
      }
      case 'CompleteOnsiteRepair': {
        const visit = state.onsite?.visitDate ?? clock.today;
        // Before the visit day no completion date is valid: the probe expects that refusal (above).
        return cmd.completeOnsiteRepair(
          { completedOn: visit > clock.today ? visit : c.day(visit, clock.today), workSummary: 'Fixed' },
          actor,
        );
      }
      case 'IssueQuote':
        return cmd.issueQuote(
          {
            quoteId: `Q-${state.quotes.length + 1}`,
            lines: c.one([
              [{ kind: 'repair', description: 'Repair', amountJpy: 0 }],
              [
                { kind: 'onsite_fee', description: 'Onsite fee', amountJpy: 15000 },
                { kind: 'remote_area_travel', description: 'Travel', amountJpy: 8000 },
              ],
            ] as const),
            validUntil: c.one([null, 'dated']) === null ? null : c.day(clock.today, addDays(clock.today, 6)),
          },
          actor,
        );
      case 'AcceptQuote':
        return cmd.acceptQuote({ quoteId: pendingQuote(state)?.quoteId ?? 'Q-1' }, actor);
      case 'DeclineQuote':
        return cmd.declineQuote({ quoteId: pendingQuote(state)?.quoteId ?? 'Q-1' }, actor);
      case 'RejectRepair':
        return cmd.rejectRepair({ reason: c.one(['unrepairable_model', 'beyond_repair'] as const) }, actor);
      case 'CloseTicket':
        return cmd.closeTicket(actor);
      case 'CancelTicket':
        return cmd.cancelTicket({ reason: 'no longer needed' }, actor);
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  })();
  return { ...built, metadata: { actor, now: clock.now } };
}

/** An accepted pair's command with one payload rule broken (null when the picked command has none). */
export function brokenCommand(
  accepted: readonly { type: CommandType; actor: Actor }[],
  state: RepairTicketState,
  clock: Clock,
  c: Chooser,
): RepairTicketCommand | null {
  const { type, actor } = c.one(accepted);
  const ok = validCommand(type, state, actor, clock, c, {});
  const tomorrow = addDays(clock.today, 1);
  const input = state.assessmentInput;
  const data = ((): object | null => {
    switch (type) {
      case 'SubmitProofOfDelivery':
        return input && { deliveryDate: addDays(input.failure.failureDate, 1) };
      case 'ShipReplacement':
        return { replacementSerial: input?.unit.serialNumber };
      case 'ConfirmReplacementDelivered':
      case 'ConfirmRepairedUnitDelivered':
        return { deliveredOn: c.one([tomorrow, '2026-11-24']) }; // the walk ships on 2026-11-25 or later
      case 'ReceiveFailedUnit':
        return c.one([{ receivedOn: tomorrow }, { serialNumber: 'SN-OTHER' }, { receivedOn: '2026-11-24' }]);
      case 'DispatchOnsite':
        return input && { visitDate: addDays(input.requestDate, -1) };
      case 'CompleteOnsiteRepair':
        return { completedOn: tomorrow };
      case 'IssueQuote':
        return c.one([
          { lines: [] },
          { validUntil: addDays(clock.today, -1) },
          { lines: [{ kind: 'repair', description: 'Repair', amountJpy: 10.5 }] },
          ...(state.quotes.length > 0 ? [{ quoteId: state.quotes[0]!.quoteId }] : []),
        ]);
      case 'AcceptQuote':
      case 'DeclineQuote':
        return { quoteId: 'Q-NOT-ISSUED' };
      case 'RejectRepair':
        return c.one([{ reason: 'too_old' }, { detail: '  ' }]);
      case 'CancelTicket':
        return { reason: '' };
      case 'RecordInspectionFinding':
        return c.one([{ findings: '' }, { exclusion: 'bad_luck' }]);
      case 'CompleteRepair':
        return c.one([
          { workSummary: '' },
          { partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 0 }] },
        ]);
      case 'ReturnFailedUnit':
      case 'SendFailedUnit':
      case 'ShipRepairedUnit':
      case 'ReturnUnrepairedUnit':
        return c.one([{ carrier: ' ' }, { trackingNumber: '' }]);
      case 'RequestRepair': // only before the ticket exists: the walk's first step, never broken
      case 'Escalate':
      case 'CloseTicket':
      case 'ProceedWithoutProof':
        return null; // only optional notes
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  })();
  if (data === null) return null;
  return { ...ok, data: { ...ok.data, ...data } } as RepairTicketCommand;
}
