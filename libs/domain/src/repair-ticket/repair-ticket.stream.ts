import { eventCodec, foldStream, type StoredEvent, streamNames } from '../shared/event-codec';
import { REPAIR_TICKET_EVENT_TYPES, type RepairTicketEvent } from './repair-ticket.events';
import { evolve } from './repair-ticket.evolve';
import { initialState, type RepairTicketState } from './repair-ticket.state';

/** One stream per ticket: `ticket-<ticketId>`. */
export const TICKET_STREAM_PREFIX = 'ticket-';

export const ticketStream = streamNames(TICKET_STREAM_PREFIX);

/** The ticket id of a ticket stream; undefined for any other stream. */
export function ticketIdOfStream(stream: string): string | undefined {
  return stream.startsWith(TICKET_STREAM_PREFIX) ? stream.slice(TICKET_STREAM_PREFIX.length) : undefined;
}

/** Stored ticket events → RepairTicketEvent. Every type is at schema version 1; no upcasters yet. */
export const repairTicketEvents = eventCodec<RepairTicketEvent>(REPAIR_TICKET_EVENT_TYPES);

/** A ticket's state from its stored events. */
export function foldTicket(stored: readonly StoredEvent[]): RepairTicketState {
  return foldStream(stored, repairTicketEvents, evolve, initialState);
}
