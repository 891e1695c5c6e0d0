import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** Ticket ids are UUID v4; anything else is a 400 naming `id` (before any lookup, so nothing leaks). */
export const TicketIdPipe = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new BadRequestException({
      code: 'validation_failed',
      field: 'id',
      message: 'id: must be a ticket id (UUID)',
    }),
});
