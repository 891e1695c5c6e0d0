import { eventCodec } from '../shared/event-codec';
import { type UnitTicketsEvent } from './unit-tickets.decider';

/** One stream per unit for its ticket claims: `unit-tickets-<serialNumber>`. */
export const UNIT_TICKETS_STREAM_PREFIX = 'unit-tickets-';

export const unitTicketsStream = (serialNumber: string): string =>
  `${UNIT_TICKETS_STREAM_PREFIX}${serialNumber}`;

/** Stored claim events → UnitTicketsEvent. Schema version 1; no upcasters yet. */
export const unitTicketsEvents = eventCodec<UnitTicketsEvent>(['UnitTicketOpened']);
