import { BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * Ticket ids are UUIDs of version 4 (random: filings without a key) or 8 (derived from the caller's
 * Idempotency-Key, infrastructure/idempotency.ts); anything else is a 400 naming `id`, before any lookup, so
 * nothing leaks.
 */
export const TICKET_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const TicketIdPipe: PipeTransform<string, string> = {
  transform(value: string): string {
    if (typeof value !== 'string' || !TICKET_ID.test(value)) {
      throw new BadRequestException({
        code: 'validation_failed',
        field: 'id',
        message: 'id: must be a ticket id (UUID)',
      });
    }
    return value.toLowerCase();
  },
};
