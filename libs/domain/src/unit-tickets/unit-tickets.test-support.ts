import { type Actor } from '../shared/actor';
import { initialState, type RepairTicketState } from '../repair-ticket/repair-ticket.state';
import {
  evolveUnitTickets,
  initialUnitTicketsState,
  type OpenUnitTicket,
  type UnitTicketsState,
} from './unit-tickets.decider';

/**
 * Shared by the unit-tickets specs: the clock, the two callers, a unit claimed by a ticket at an instant, the
 * command that claims it, and the state of the ticket that holds it.
 */
export const NOW = '2026-12-01T00:30:00.000Z';
export const partner: Actor = { kind: 'partner', partnerId: 'P-1' };
export const support: Actor = { kind: 'support', userId: 'tanaka' };

export const claimedAt = (ticketId: string, at: string): UnitTicketsState =>
  evolveUnitTickets(initialUnitTicketsState, {
    type: 'UnitTicketOpened',
    schemaVersion: 1,
    data: { serialNumber: 'SN-1', ticketId, at, by: 'partner:P-1', override: null },
  });

/** Claim unit SN-1 for ticket T-2 (unless `data` says otherwise), as the partner, now. */
export const open = (
  data: Partial<OpenUnitTicket['data']> = {},
  actor: Actor = partner,
  now = NOW,
): OpenUnitTicket => ({
  type: 'OpenUnitTicket',
  data: { serialNumber: 'SN-1', ticketId: 'T-2', overrideReason: null, ...data },
  metadata: { now, actor },
});

/** A ticket state with only the status set: what the rule reads through allowedCommands. */
export const ticketIn = (
  status: RepairTicketState['status'],
  scheme: RepairTicketState['scheme'] = 'replacement',
): RepairTicketState => ({ ...initialState, status, scheme });
