import { eventCodec, streamDecider, streamNames } from '../shared/event-codec';
import {
  decidePartner,
  evolvePartner,
  initialPartnerState,
  PARTNER_EVENT_TYPES,
  type PartnerEvent,
} from './partner.decider';

/** One stream per partner record: `partner-<partnerId>`. */
export const PARTNER_STREAM_PREFIX = 'partner-';

export const partnerStream = streamNames(PARTNER_STREAM_PREFIX);

/** Stored partner events → PartnerEvent. Every type is at schema version 1; no upcasters yet. */
export const partnerEvents = eventCodec<PartnerEvent>(PARTNER_EVENT_TYPES);

export const partnerDecider = streamDecider(partnerEvents, decidePartner, evolvePartner, initialPartnerState);
