/**
 * Stored ticket events → Kafka messages: CloudEvents 1.0 in binary content mode (attributes in `ce_*`
 * headers, the JSON payload as the body), keyed by ticket id so that one ticket's events stay in one
 * partition, in order.
 */
import type { RecordedEvent } from '@app/event-store';
import { repairTicketEvents, ticketIdOfStream } from '@app/domain';

import {
  integrationEventFor,
  isRepairTicketEventType,
  ticketPayloadV1,
  type TicketContext,
} from './ticket-integration-events';

/** Ticket streams are `ticket-<ticketId>`: named once, with the aggregate (libs/domain repair-ticket.stream.ts). */
export { TICKET_STREAM_PREFIX, ticketIdOfStream } from '@app/domain';

/** Default CloudEvents `source` (a URI reference naming the producing service). */
export const DEFAULT_CE_SOURCE = '/ipro/repair-service';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The stored event behind it, for checkpoints and metrics. */
  readonly globalPosition: number;
  readonly recordedAt: string;
}

export type MapResult =
  | { readonly kind: 'message'; readonly message: OutgoingMessage }
  /** Not a published contract: another stream kind, or an internal event type / version without one. */
  | { readonly kind: 'skipped'; readonly reason: 'not-a-ticket-stream' | 'no-contract' };

/** A stable URI naming the payload schema: one per contract type and version. */
export function dataSchemaUri(type: string): string {
  return `urn:ipro:repair:schema:${type}`;
}

export function toTicketMessage(
  event: RecordedEvent,
  context: TicketContext,
  source: string = DEFAULT_CE_SOURCE,
): MapResult {
  const ticketId = ticketIdOfStream(event.stream);
  if (ticketId === undefined) return { kind: 'skipped', reason: 'not-a-ticket-stream' };
  // Only the domain event versions we have a contract for; an upcaster goes here when schemaVersion 2 appears.
  if (!isRepairTicketEventType(event.type) || event.schemaVersion !== 1)
    return { kind: 'skipped', reason: 'no-contract' };
  const domainEvent = repairTicketEvents.decode(event);
  const definition = integrationEventFor(domainEvent.type);
  const payload = ticketPayloadV1(domainEvent, context);
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    // The stored event id: stable across re-deliveries, so consumers can drop duplicates by it.
    ce_id: event.id,
    ce_source: source,
    ce_type: definition.type,
    ce_subject: ticketId,
    ce_time: event.recordedAt,
    ce_dataschema: dataSchemaUri(definition.type),
    'content-type': 'application/json',
    // Extensions (lower-case alphanumerics, CloudEvents naming rules): the partitioning extension's key, the
    // ticket's stream revision (lets a consumer detect a gap or an old re-delivery per ticket) and tracing.
    ce_partitionkey: ticketId,
    ce_ticketrevision: String(event.revision),
    ce_correlationid: event.metadata.correlationId,
  };
  return {
    kind: 'message',
    message: {
      key: ticketId,
      value: JSON.stringify(payload),
      headers,
      globalPosition: event.globalPosition,
      recordedAt: event.recordedAt,
    },
  };
}

/** The partner owning a ticket, read from its opening event (RepairRequested is always revision 0). */
export function partnerIdOfOpeningEvent(event: RecordedEvent): string | undefined {
  if (event.type !== 'RepairRequested' || !repairTicketEvents.canDecode(event)) return undefined;
  const opening = repairTicketEvents.decode(event);
  // Checked at run time as well: the relay stops rather than publish a ticket's messages without its partner.
  return opening.type === 'RepairRequested' && typeof opening.data.partnerId === 'string'
    ? opening.data.partnerId
    : undefined;
}
