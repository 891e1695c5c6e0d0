import { BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * Ticket ids are UUIDs of version 4 (random: filings without a key) or 8 (derived from the caller's
 * Idempotency-Key, infrastructure/idempotency.ts); anything else is a 400 naming `id`, before any lookup, so
 * nothing leaks.
 */
export const TICKET_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The ticket id of a path, in the one spelling the store uses. Ids are issued lower-case (randomUUID and the
 * derived v8 ids) and stream names compare bytewise, so an upper-case spelling is taken and lower-cased
 * rather than refused: `/tickets/ABC…` is the same ticket as `/tickets/abc…`, never a 404 for a ticket that
 * exists.
 */
export function ticketIdOf(value: unknown): string {
  if (typeof value !== 'string' || !TICKET_ID.test(value)) {
    throw new BadRequestException({
      code: 'validation_failed',
      field: 'id',
      message: 'id: must be a ticket id (UUID)',
    });
  }
  return value.toLowerCase();
}

export const TicketIdPipe: PipeTransform<unknown, string> = { transform: ticketIdOf };
