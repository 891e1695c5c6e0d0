import { type Actor } from '../shared/actor';
import { evolveUnitTickets, initialUnitTicketsState, type UnitTicketsState } from './unit-tickets.decider';

/** Shared by the unit-tickets specs: the clock, the two callers, and a unit claimed by a ticket at an instant. */
export const NOW = '2026-12-01T00:30:00.000Z';
export const partner: Actor = { kind: 'partner', partnerId: 'P-1' };
export const support: Actor = { kind: 'support', userId: 'tanaka' };

export const claimedAt = (ticketId: string, at: string): UnitTicketsState =>
  evolveUnitTickets(initialUnitTicketsState, {
    type: 'UnitTicketOpened',
    schemaVersion: 1,
    data: { serialNumber: 'SN-1', ticketId, at, by: 'partner:P-1', override: null },
  });
