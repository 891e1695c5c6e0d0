import { actorId } from '../shared/actor';
import { type Instant, isInstant } from '../shared/calendar';
import { DomainError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import { type DomainCommand, type DomainEvent } from '../shared/messages';
import { requireText } from '../shared/validation';
import { allowedCommands } from '../repair-ticket/allowed-commands';
import type { RepairTicketState } from '../repair-ticket/repair-ticket.state';

/**
 * One open ticket per unit (issue #13): a portal double-submit must not ship two replacements for one failure.
 * Every ticket filed for a serial is first claimed on that serial's own stream (`unit-tickets-<serial>`), with
 * the stream's revision as the expectation, so two concurrent filings for one unit cannot both pass the check:
 * the second claim meets the first one.
 *
 * A ticket blocks a new filing for its unit while it still has work to do: while any next step other than
 * closing it remains (a replacement to ship, a unit to receive, a quote to answer…). Once only CloseTicket is
 * left — delivered, repaired on site, unrepaired unit returned, referred to software support, closed or
 * cancelled — the unit may fail again and be filed again.
 */

export type UnitTicketOpened = DomainEvent<
  'UnitTicketOpened',
  {
    serialNumber: string;
    ticketId: string;
    /** Support filed although another ticket of the unit was open; why, and which ticket. */
    override: Readonly<{ reason: string; openTicketId: string }> | null;
  }
>;
export type UnitTicketsEvent = UnitTicketOpened;

export type OpenUnitTicket = DomainCommand<
  'OpenUnitTicket',
  {
    serialNumber: string;
    ticketId: string;
    /** Support only: file even though another ticket of this unit is open. */
    overrideReason: string | null;
  }
>;

export interface UnitTicketsState {
  /** Tickets claimed for the unit, oldest first, with when they were claimed. */
  readonly claims: readonly Readonly<{ ticketId: string; at: Instant }>[];
}

export const initialUnitTicketsState: UnitTicketsState = { claims: [] };

/** What the event store holds of a claimed ticket: its state, or nothing (its filing never got stored). */
export type ClaimedTicket = RepairTicketState | 'not_stored';

/**
 * A claim whose ticket was never stored (the filer died between the two appends) stops blocking after this
 * long; before that it may be a filing still in flight.
 */
export const UNSTORED_CLAIM_BLOCKS_MS = 30_000;

export class OpenTicketExistsError extends DomainError {
  readonly code = 'open_ticket_exists';

  constructor(
    readonly serialNumber: string,
    readonly openTicketId: string,
  ) {
    super(`unit ${serialNumber} already has an open ticket ${openTicketId}`);
  }
}

/** Does this ticket still block a new filing for its unit? */
export function blocksNewFiling(ticket: RepairTicketState): boolean {
  return allowedCommands(ticket).some((c) => c !== 'CloseTicket');
}

/**
 * Claims the unit for a new ticket, or refuses with OpenTicketExistsError naming the open one. `claimed` gives,
 * for every ticket already claimed, what the store holds of it. Claiming a ticket already claimed (a retry)
 * decides nothing.
 */
export function decideUnitTickets(
  command: OpenUnitTicket,
  state: UnitTicketsState,
  claimed: ReadonlyMap<string, ClaimedTicket>,
): UnitTicketsEvent[] {
  const { actor, now } = command.metadata;
  if (!isInstant(now)) throw new ValidationError('metadata.now', 'must be an ISO-8601 instant');
  const serialNumber = requireText(command.data.serialNumber, 'serialNumber');
  const ticketId = requireText(command.data.ticketId, 'ticketId');
  if (state.claims.some((c) => c.ticketId === ticketId)) return [];
  const overrideReason = command.data.overrideReason;
  if (overrideReason !== null && actor.kind !== 'support')
    throw new NotAllowedError(actorId(actor), command.type, 'only support may file over an open ticket');
  const open = state.claims.find((c) => {
    const ticket = claimed.get(c.ticketId) ?? 'not_stored';
    return ticket === 'not_stored'
      ? Date.parse(now) - Date.parse(c.at) < UNSTORED_CLAIM_BLOCKS_MS
      : blocksNewFiling(ticket);
  });
  if (open && overrideReason === null) throw new OpenTicketExistsError(serialNumber, open.ticketId);
  return [
    {
      type: 'UnitTicketOpened',
      schemaVersion: 1,
      data: {
        serialNumber,
        ticketId,
        at: now,
        by: actorId(actor),
        override:
          open && overrideReason !== null
            ? {
                reason: requireText(overrideReason, 'overrideOpenTicket.reason'),
                openTicketId: open.ticketId,
              }
            : null,
      },
    },
  ];
}

export function evolveUnitTickets(state: UnitTicketsState, event: UnitTicketsEvent): UnitTicketsState {
  return { claims: [...state.claims, { ticketId: event.data.ticketId, at: event.data.at }] };
}
