import { actorId } from '../shared/actor';
import { isInstant, tokyoDateOf } from '../shared/calendar';
import {
  IllegalTransitionError,
  NotAllowedError,
  TicketNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import { actorMay, allowedCommands, COMMAND_ROLES } from './allowed-commands';
import { decideClosing } from './decide/closing.decide';
import { decideOnsite } from './decide/onsite.decide';
import { decidePickup } from './decide/pickup.decide';
import { decideQuotes } from './decide/quotes.decide';
import { decideReplacement } from './decide/replacement.decide';
import { decideRequest } from './decide/request.decide';
import { type DecisionContext } from './decide/shared.decide';
import { type CommandType, type RepairTicketCommand } from './repair-ticket.commands';
import { type RepairTicketEvent } from './repair-ticket.events';
import { type RepairTicketState } from './repair-ticket.state';

export { evolve, evolveAll } from './repair-ticket.evolve';

/** Commands that belong to one scheme: refusing them names the ticket's scheme. */
const SCHEME_STEPS: readonly CommandType[] = [
  'ShipReplacement',
  'ConfirmReplacementDelivered',
  'ReturnFailedUnit',
  'SendFailedUnit',
  'ReceiveFailedUnit',
  'CompleteRepair',
  'ShipRepairedUnit',
  'ConfirmRepairedUnitDelivered',
  'DispatchOnsite',
  'CompleteOnsiteRepair',
];

/**
 * The repair ticket decider: what happens when `command` meets a ticket in `state`. The checks every command
 * shares run here, in the order of the HTTP statuses they map to: not found (404), not allowed (403), illegal
 * transition (409); then the command's group (decide/*.decide.ts) checks its input (400) and its business
 * rules (422) and names the events.
 */
export function decide(command: RepairTicketCommand, state: RepairTicketState): RepairTicketEvent[] {
  const { actor, now } = command.metadata;
  const by = actorId(actor);
  if (state.status === 'not_requested' && command.type !== 'RequestRepair')
    throw new TicketNotFoundError(null);
  if (
    command.type === 'RequestRepair' &&
    actor.kind === 'partner' &&
    actor.partnerId !== command.data.partnerId
  )
    throw new NotAllowedError(by, command.type, 'a partner files requests in its own name only');
  if (!actorMay(actor, command.type, state.partnerId))
    throw new NotAllowedError(
      by,
      command.type,
      actor.kind === 'end_user'
        ? 'end users report failures to their partner; requests reach i-PRO through a partner'
        : actor.kind === 'partner' && COMMAND_ROLES[command.type].includes('owner')
          ? 'this ticket belongs to another partner'
          : `not a ${actor.kind} action`,
    );
  if (!allowedCommands(state).includes(command.type)) {
    const detail = SCHEME_STEPS.includes(command.type)
      ? `the ticket's repair scheme is ${state.scheme}`
      : undefined;
    throw new IllegalTransitionError(state.status, command.type, detail);
  }
  if (!isInstant(now)) throw new ValidationError('metadata.now', 'must be an ISO-8601 instant');
  const c: DecisionContext = {
    state,
    now,
    today: tokyoDateOf(now),
    by,
    // Stryker disable next-line StringLiteral: equivalent, only RequestRepair reaches a ticket without an id and it builds its own meta from the command's ticketId
    meta: { ticketId: state.ticketId ?? '', at: now, by },
  };
  switch (command.type) {
    case 'RequestRepair':
    case 'SubmitProofOfDelivery':
    case 'ProceedWithoutProof':
    case 'Escalate':
      return decideRequest(command, c);
    case 'ShipReplacement':
    case 'ConfirmReplacementDelivered':
    case 'ReturnFailedUnit':
      return decideReplacement(command, c);
    case 'SendFailedUnit':
    case 'ReceiveFailedUnit':
    case 'CompleteRepair':
    case 'ShipRepairedUnit':
    case 'ConfirmRepairedUnitDelivered':
    case 'ReturnUnrepairedUnit':
      return decidePickup(command, c);
    case 'DispatchOnsite':
    case 'CompleteOnsiteRepair':
      return decideOnsite(command, c);
    case 'RecordInspectionFinding':
    case 'IssueQuote':
    case 'AcceptQuote':
    case 'DeclineQuote':
      return decideQuotes(command, c);
    case 'RejectRepair':
    case 'CloseTicket':
    case 'CancelTicket':
      return decideClosing(command, c);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
