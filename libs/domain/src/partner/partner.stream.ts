import { eventCodec, type StreamDecider } from '../shared/event-codec';
import {
  decidePartner,
  evolvePartner,
  initialPartnerState,
  PARTNER_EVENT_TYPES,
  type PartnerCommand,
  type PartnerEvent,
  type PartnerState,
} from './partner.decider';

/** One stream per partner record: `partner-<partnerId>`. */
export const PARTNER_STREAM_PREFIX = 'partner-';

export const partnerStream = (partnerId: string): string => `${PARTNER_STREAM_PREFIX}${partnerId}`;

/** Stored partner events → PartnerEvent. Every type is at schema version 1; no upcasters yet. */
export const partnerEvents = eventCodec<PartnerEvent>(PARTNER_EVENT_TYPES);

export const partnerDecider: StreamDecider<PartnerCommand, PartnerState, PartnerEvent> = {
  decide: decidePartner,
  evolve: evolvePartner,
  initialState: initialPartnerState,
  decode: partnerEvents.decode,
};
