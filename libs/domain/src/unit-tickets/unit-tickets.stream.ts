import { eventCodec, streamNames } from '../shared/event-codec';
import { type UnitTicketsEvent } from './unit-tickets.decider';

/** One stream per unit for its ticket claims: `unit-tickets-<serialNumber>`. */
export const UNIT_TICKETS_STREAM_PREFIX = 'unit-tickets-';

export const unitTicketsStream = streamNames(UNIT_TICKETS_STREAM_PREFIX);

/** Stored claim events → UnitTicketsEvent. Schema version 1; no upcasters yet. */
export const unitTicketsEvents = eventCodec<UnitTicketsEvent>(['UnitTicketOpened']);
