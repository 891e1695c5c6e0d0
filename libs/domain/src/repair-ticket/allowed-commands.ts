import { type Actor } from '../shared/actor';
import { type CommandType } from './repair-ticket.commands';
import { type RepairTicketState } from './repair-ticket.state';

/** `owner`: the ticket's partner (for filing: a partner in its own name); `system`: the support portal. */
export type CommandRole = 'owner' | 'support' | 'system';

/**
 * The authority table: who may issue each ticket command. `allowedCommands` (what the API shows a caller) and
 * `decide` read it through `actorMay`, and the HTTP edge derives each route's roles from it
 * (apps/api/src/auth/command-roles.ts), so the three cannot disagree.
 *
 * `owner` is the ticket's partner (another partner is refused); support may record partner-side steps on the
 * partner's behalf (a phone call, a parcel receipt); the portal (`system`) escalates and closes. End users
 * never act on tickets.
 *
 * Filing (`RequestRepair`): a partner files in its own name only; support and the portal may file on a
 * partner's behalf, naming the partner (decided in #15, as the domain README says: DOMAIN.md has partners file
 * "through the support portal", and support takes requests by phone).
 */
export const COMMAND_ROLES: Readonly<Record<CommandType, readonly CommandRole[]>> = {
  RequestRepair: ['owner', 'support', 'system'],
  SubmitProofOfDelivery: ['owner', 'support'],
  ProceedWithoutProof: ['owner', 'support'],
  Escalate: ['support', 'system'],
  ShipReplacement: ['support'],
  ConfirmReplacementDelivered: ['owner', 'support'],
  ReturnFailedUnit: ['owner', 'support'],
  SendFailedUnit: ['owner', 'support'],
  ReceiveFailedUnit: ['support'],
  RecordInspectionFinding: ['support'],
  CompleteRepair: ['support'],
  ShipRepairedUnit: ['support'],
  ConfirmRepairedUnitDelivered: ['owner', 'support'],
  ReturnUnrepairedUnit: ['support'],
  DispatchOnsite: ['support'],
  CompleteOnsiteRepair: ['support'],
  IssueQuote: ['support'],
  AcceptQuote: ['owner', 'support'],
  DeclineQuote: ['owner', 'support'],
  RejectRepair: ['support'],
  CloseTicket: ['support', 'system'],
  CancelTicket: ['owner', 'support'],
};

/** Every ticket command type, in a stable order (for API enums and docs). */
export const REPAIR_TICKET_COMMAND_TYPES = Object.keys(COMMAND_ROLES) as readonly CommandType[];

/** May this actor issue this command on a ticket owned by `ownerPartnerId`? */
export function actorMay(actor: Actor, command: CommandType, ownerPartnerId: string | null): boolean {
  const roles = COMMAND_ROLES[command];
  switch (actor.kind) {
    case 'partner':
      return roles.includes('owner') && (ownerPartnerId === null || actor.partnerId === ownerPartnerId);
    case 'support':
      return roles.includes('support');
    case 'system':
      return roles.includes('system');
    case 'end_user':
      return false;
    default: {
      const unreachable: never = actor;
      return unreachable;
    }
  }
}

function byStatus(state: RepairTicketState): CommandType[] {
  // Cancelling is offered only while nothing physical has happened: afterwards the partner declines a quote.
  const cancel: CommandType[] = state.workStarted ? [] : ['CancelTicket'];
  const returnHeldUnit: CommandType[] = state.unitAtIpro ? ['ReturnUnrepairedUnit'] : [];
  // An exclusion can only turn a free repair chargeable, once.
  const inspect: CommandType[] =
    state.assessment?.billing === 'free' && state.exclusion === null ? ['RecordInspectionFinding'] : [];
  switch (state.status) {
    case 'not_requested':
      return ['RequestRepair'];
    case 'awaiting_proof':
      return ['SubmitProofOfDelivery', 'ProceedWithoutProof', ...cancel];
    case 'requested':
      return ['Escalate', 'RejectRepair', ...cancel];
    case 'escalated':
      switch (state.scheme) {
        case 'replacement':
          return ['ShipReplacement', 'RejectRepair', ...cancel];
        case 'pickup_repair':
          return ['SendFailedUnit', 'RejectRepair', ...cancel];
        case 'onsite_repair':
          return ['DispatchOnsite', 'RejectRepair', ...cancel];
        case 'none':
          return ['RejectRepair', ...cancel];
        default: {
          const unreachable: never = state.scheme;
          return unreachable;
        }
      }
    case 'awaiting_quote':
      return ['IssueQuote', 'RejectRepair', ...cancel];
    case 'awaiting_quote_decision':
      return ['AcceptQuote', 'DeclineQuote', ...cancel];
    case 'quote_declined':
      return [...returnHeldUnit, ...(state.unitAtIpro ? [] : (['CloseTicket'] as CommandType[]))];
    case 'in_transit_to_partner':
      return state.scheme === 'replacement'
        ? ['ConfirmReplacementDelivered']
        : ['ConfirmRepairedUnitDelivered'];
    case 'awaiting_failed_unit_return':
      return ['ReturnFailedUnit'];
    case 'failed_unit_returned':
      return [...inspect, 'CloseTicket'];
    case 'failed_unit_in_transit':
      return ['ReceiveFailedUnit'];
    case 'failed_unit_received':
      return [...inspect, 'CompleteRepair', 'RejectRepair'];
    case 'repaired':
      return ['ShipRepairedUnit'];
    case 'onsite_dispatched':
      return [...inspect, 'CompleteOnsiteRepair'];
    case 'rejected':
      return [...returnHeldUnit, ...(state.unitAtIpro ? [] : (['CloseTicket'] as CommandType[]))];
    case 'delivered':
    case 'onsite_completed':
    case 'unrepaired_unit_returned':
    case 'referred_to_software_support':
      return ['CloseTicket'];
    case 'closed':
    case 'cancelled':
      return [];
    default: {
      const unreachable: never = state.status;
      return unreachable;
    }
  }
}

/**
 * The commands the ticket accepts next, in a stable order (the API shows them in the ticket detail).
 * With an actor, only those this actor may issue.
 */
export function allowedCommands(state: RepairTicketState, actor?: Actor): CommandType[] {
  const commands = byStatus(state);
  return actor === undefined ? commands : commands.filter((c) => actorMay(actor, c, state.partnerId));
}
