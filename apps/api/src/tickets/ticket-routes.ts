import type { CommandType } from '@app/domain';

/**
 * The one route table of the ticket commands. `@TicketCommand` (ticket-command.decorator.ts) declares each
 * route from it, and the ticket view's `allowedActions` names each action by it, so what the API offers is
 * exactly what the router serves. Who may call a route comes from the domain's COMMAND_ROLES (rolesFor).
 *
 * Filing (`RequestRepair`) creates a ticket at `POST /tickets` and is never an action on one.
 */
export type TicketCommandType = Exclude<CommandType, 'RequestRepair'>;

export const isTicketCommandType = (type: CommandType): type is TicketCommandType => type !== 'RequestRepair';

/** The HTTP method of every ticket command: commands change the ticket, and none is idempotent by itself. */
export const TICKET_COMMAND_METHOD = 'POST';

/** `SubmitProofOfDelivery` → `submit-proof-of-delivery`: every route is the kebab-case name of its command. */
export const commandPath = (type: TicketCommandType): string =>
  type.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);

/**
 * An action a client may take next, as it calls it: `{ action: 'ship-replacement', method: 'POST', path:
 * '/tickets/<id>/ship-replacement' }`. `path` is relative to the API's base URL, with the ticket id filled in.
 */
export interface TicketAction {
  /** The route segment (the kebab-case command name): a stable key for a button or a label. */
  readonly action: string;
  readonly method: typeof TICKET_COMMAND_METHOD;
  readonly path: string;
}

export function ticketAction(ticketId: string, type: TicketCommandType): TicketAction {
  const action = commandPath(type);
  return {
    action,
    method: TICKET_COMMAND_METHOD,
    path: `/tickets/${encodeURIComponent(ticketId)}/${action}`,
  };
}
