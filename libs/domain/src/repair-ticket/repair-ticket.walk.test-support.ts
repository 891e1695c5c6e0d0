// The random walk of repair-ticket.property.unit.spec.ts: who acts, the probe of one command, the steering.
import { actors, type RequestOverrides } from '../../testing/repair-ticket-fixtures.test-support';
import { type Actor } from '../shared/actor';
import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  NotAllowedError,
  TicketNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import { allowedCommands } from './allowed-commands';
import { type CommandType, type RepairTicketCommand } from './repair-ticket.commands';
import { decide, evolve } from './repair-ticket.decider';
import { pendingQuote, type RepairTicketState } from './repair-ticket.state';
import { type Clock, requests } from './repair-ticket.walk-payloads.test-support';

/*
 * allowed ⇔ accepted, for every actor and every command, at every state a random walk reaches.
 *
 * `allowedCommands(state, actor)` is a *state* rule: it sees the ticket and the actor, never the payload or
 * the day. `decide` adds *payload* rules on top, which a command listed as allowed can still break. The
 * generator (repair-ticket.walk-payloads.test-support.ts) builds, for each command, a payload valid for the ticket's state (it reads the state the
 * way a client reads the ticket detail), so that "listed" must mean "accepted". The payload rules are:
 *
 *   any command         metadata.now an ISO instant; required texts non-empty; enums from their lists (400)
 *   RequestRepair       the request validation of the decider: dates in the order sold ≤ delivered ≤ failed
 *                       ≤ requested ≤ today, catalog entry and membership of the unit, partnerId = the filing
 *                       partner's own id when a partner files (403 — an actor rule that reads the payload)
 *   SubmitProofOfDelivery  sale date ≤ proven delivery date ≤ failure date (422)
 *   ShipReplacement     replacementSerial ≠ the failed unit's serial (422)
 *   Confirm…Delivered   shipped day (Tokyo) ≤ deliveredOn ≤ today (400/422)
 *   ReceiveFailedUnit   sent day (Tokyo) ≤ receivedOn ≤ today (400/422); serialNumber = the ticket's unit (422)
 *   DispatchOnsite      visitDate ≥ requestDate (422)
 *   CompleteOnsiteRepair visitDate ≤ completedOn ≤ today (400/422)
 *   IssueQuote          ≥ 1 line, whole non-negative yen, validUntil ≥ today (400); a fresh quoteId (422)
 *   Accept/DeclineQuote quoteId = the pending quote (422)
 *
 * Two of them depend on the day only, so for some days *no* payload is valid although the command is listed
 * (allowedCommands takes no `today`). The walk meets both and the probe expects exactly these refusals:
 *   - AcceptQuote on a quote whose validUntil is before today: 422 `quote_expired` (decline stays possible);
 *   - CompleteOnsiteRepair before the planned visit day: completedOn cannot be both ≥ visitDate and ≤ today.
 * Every other refusal of a listed command is a failure of this test.
 *
 * A command that is not listed must be refused by a state/actor rule, checked before any payload rule:
 * TicketNotFoundError before the request, NotAllowedError when the status allows it but not for this actor,
 * NotAllowedError or IllegalTransitionError otherwise — never a ValidationError or a business rule.
 */

export const ACTORS: readonly Actor[] = [
  actors.partner,
  actors.otherPartner,
  actors.support,
  actors.portal,
  actors.endUser,
];

/** The day rules above: a listed command no payload can satisfy today, and the refusal it must get. */
function dayRuleRefusal(type: CommandType, state: RepairTicketState, clock: Clock): string | null {
  const quote = pendingQuote(state);
  if (type === 'AcceptQuote' && quote?.validUntil != null && clock.today > quote.validUntil)
    return 'quote_expired';
  if (type === 'CompleteOnsiteRepair' && state.onsite !== null && clock.today < state.onsite.visitDate)
    return 'completedOn';
  return null;
}

export function attempt(command: RepairTicketCommand, state: RepairTicketState) {
  try {
    return { events: decide(command, state), error: null };
  } catch (error) {
    return { events: null, error };
  }
}

/**
 * Checks one (command, actor) pair at `state`: null when decide did what allowedCommands says, else what went
 * wrong (plain checks, no `expect` per probe: the default run makes about 170 000 of them).
 */
export function probe(
  command: RepairTicketCommand,
  state: RepairTicketState,
  clock: Clock,
): { next: RepairTicketState | null; wrong: string | null } {
  const { type } = command;
  const actor = command.metadata.actor;
  const listed = allowedCommands(state, actor).includes(type);
  const { events, error } = attempt(command, state);
  const said = error instanceof Error ? `${error.name}: ${error.message}` : 'accepted';
  const wrong = (why: string) => ({
    next: null,
    wrong: `${type} by ${actor.kind} in ${state.status} on ${clock.today}: ${why}, got ${said}`,
  });
  if (listed) {
    const dayRule = dayRuleRefusal(type, state, clock);
    if (dayRule !== null) bump(dayRuleRefusals, `${type} (${dayRule})`);
    if (dayRule === 'quote_expired')
      return error instanceof BusinessRuleViolationError && error.rule === 'quote_expired'
        ? { next: null, wrong: null }
        : wrong('listed, the quote expired: expected quote_expired');
    if (dayRule === 'completedOn')
      return error instanceof ValidationError && error.field === 'completedOn'
        ? { next: null, wrong: null }
        : wrong('listed, before the visit day: expected a completedOn refusal');
    if (events === null || events.length === 0)
      return wrong('listed with a valid payload: expected accepted');
    return { next: events.reduce(evolve, state), wrong: null };
  }
  const expected =
    state.status === 'not_requested' && type !== 'RequestRepair'
      ? [TicketNotFoundError]
      : allowedCommands(state).includes(type)
        ? [NotAllowedError]
        : [NotAllowedError, IllegalTransitionError];
  return expected.some((k) => error instanceof k)
    ? { next: null, wrong: null }
    : wrong(`not listed: expected ${expected.map((k) => k.name).join(' or ')}`);
}

/**
 * Walk weights, the steering: forward steps weigh 10; steps that end a ticket early weigh 1 (cancel, reject),
 * except where they lead somewhere rare — rejecting or finding an exclusion on a unit i-PRO holds is the only
 * way to `unrepaired_unit_returned`. Tuned so that the default run (100 walks of 15 steps, about 3.5 tickets
 * each) reaches its rarest statuses (unrepaired_unit_returned, onsite_completed, delivered) 13–25 times:
 * missing one by chance is a one-in-a-hundred-thousand run (figures in the README).
 */
export const WEIGHT: Readonly<Record<CommandType, number>> = {
  RequestRepair: 10,
  SubmitProofOfDelivery: 5,
  ProceedWithoutProof: 5,
  Escalate: 10,
  ShipReplacement: 10,
  ConfirmReplacementDelivered: 10,
  ReturnFailedUnit: 10,
  SendFailedUnit: 10,
  ReceiveFailedUnit: 10,
  RecordInspectionFinding: 3,
  CompleteRepair: 10,
  ShipRepairedUnit: 10,
  ConfirmRepairedUnitDelivered: 10,
  ReturnUnrepairedUnit: 10,
  DispatchOnsite: 10,
  CompleteOnsiteRepair: 10,
  IssueQuote: 10,
  AcceptQuote: 5,
  DeclineQuote: 5,
  RejectRepair: 1,
  CloseTicket: 10,
  CancelTicket: 1,
};

export function weight(type: CommandType, state: RepairTicketState): number {
  const onHeldUnit = state.unitAtIpro && (type === 'RejectRepair' || type === 'RecordInspectionFinding');
  return onHeldUnit ? 4 : WEIGHT[type];
}

/** Pickup repairs twice: their branches (reject, exclusion, repair) lead to the most statuses. */
export const walkRequests: readonly RequestOverrides[] = [...requests, { model: 'WV-X1574LN' }];

/** Day-rule refusals the probes met, by command and rule (reported by the walk). */
export const dayRuleRefusals = new Map<string, number>();
export const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
