import { BadRequestException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isInstant, TicketNotFoundError } from '@app/domain';
import {
  type TicketHistoryEntryV1,
  type TicketListPosition,
  type TicketListRowV1,
  TicketReadModel,
} from '@app/read-models';
import { TICKET_ID } from '../http/ticket-id.pipe';
import type { Principal } from '../auth/token';
import { eventDataFor } from './partner-isolation';
import { type TicketView, ticketViewFor, visibleTo } from './ticket-view';

/** All ticket queries read the tickets read model (TicketReadModel); nothing replays events per request. */

export interface TicketFilter {
  readonly status?: string[];
  readonly scheme?: string[];
  readonly coverage?: string[];
  readonly partnerId?: string;
  readonly serialNumber?: string;
  /** Requested on or after / before (ISO instants or dates). */
  readonly requestedFrom?: string;
  readonly requestedTo?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export type TicketListItem = TicketListRowV1;

export interface TicketPage {
  readonly items: readonly TicketListItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export class ListTickets extends Query<TicketPage> {
  constructor(
    readonly filter: TicketFilter,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Newest first; the cursor is the (requested_at, ticket_id) of the last item seen, so pages never shift. */
@QueryHandler(ListTickets)
export class ListTicketsHandler implements IQueryHandler<ListTickets, TicketPage> {
  constructor(private readonly tickets: TicketReadModel) {}

  async execute({ filter: { cursor, ...f }, principal }: ListTickets): Promise<TicketPage> {
    const page = await this.tickets.list({
      ...f,
      // A partner only ever sees its own tickets, whatever it asks for.
      partnerId: principal.role === 'partner' ? principal.partnerId : f.partnerId,
      after: cursor === undefined || cursor === '' ? undefined : decodeCursor(cursor),
    });
    return { items: page.rows, nextCursor: page.next && encodeCursor(page.next) };
  }
}

export class GetTicket extends Query<TicketView> {
  constructor(
    readonly ticketId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetTicket)
export class GetTicketHandler implements IQueryHandler<GetTicket, TicketView> {
  constructor(private readonly tickets: TicketReadModel) {}

  async execute({ ticketId, principal }: GetTicket): Promise<TicketView> {
    const details = await this.tickets.findDetails(ticketId);
    if (!details || !visibleTo(details, principal)) throw new TicketNotFoundError(ticketId);
    return ticketViewFor(details, principal);
  }
}

export type HistoryEntry = TicketHistoryEntryV1;

export class GetTicketHistory extends Query<{ ticketId: string; events: HistoryEntry[] }> {
  constructor(
    readonly ticketId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetTicketHistory)
export class GetTicketHistoryHandler implements IQueryHandler<
  GetTicketHistory,
  { ticketId: string; events: HistoryEntry[] }
> {
  constructor(private readonly tickets: TicketReadModel) {}

  async execute({
    ticketId,
    principal,
  }: GetTicketHistory): Promise<{ ticketId: string; events: HistoryEntry[] }> {
    await assertVisible(this.tickets, ticketId, principal);
    const events = await this.tickets.history(ticketId);
    return { ticketId, events: events.map((e) => ({ ...e, data: eventDataFor(principal, e.type, e.data) })) };
  }
}

export interface TicketAsOf {
  readonly asOf: string;
  /** Revision in force at `asOf`, with the event that produced it. */
  readonly revision: number;
  readonly lastEventType: string;
  readonly lastEventRecordedAt: string;
  readonly ticket: TicketView;
}

export class GetTicketAsOf extends Query<TicketAsOf> {
  constructor(
    readonly ticketId: string,
    readonly asOf: Date,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** The ticket right after the last event recorded at or before `asOf` (TicketReadModel.asOf). */
@QueryHandler(GetTicketAsOf)
export class GetTicketAsOfHandler implements IQueryHandler<GetTicketAsOf, TicketAsOf> {
  constructor(private readonly tickets: TicketReadModel) {}

  async execute({ ticketId, asOf, principal }: GetTicketAsOf): Promise<TicketAsOf> {
    await assertVisible(this.tickets, ticketId, principal);
    const then = await this.tickets.asOf(ticketId, asOf);
    // Null: the ticket did not exist yet at that time.
    if (!then) throw new TicketNotFoundError(ticketId);
    const { details, ...at } = then;
    return { asOf: asOf.toISOString(), ...at, ticket: ticketViewFor(details, principal) };
  }
}

async function assertVisible(
  tickets: TicketReadModel,
  ticketId: string,
  principal: Principal,
): Promise<void> {
  const partnerId = await tickets.ownerOf(ticketId);
  if (partnerId === null || !visibleTo({ partnerId }, principal)) throw new TicketNotFoundError(ticketId);
}

function encodeCursor(at: TicketListPosition): string {
  return Buffer.from(JSON.stringify([at.requestedAt, at.ticketId])).toString('base64url');
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Only what encodeCursor can produce passes: an instant exactly as toISOString writes it, on a day of the
 * calendar the service handles, and a ticket id; anything else is a 400 before the query is built.
 */
function decodeCursor(cursor: string): TicketListPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      CURSOR_AT.test(v[0]) &&
      isInstant(v[0]) &&
      new Date(v[0]).toISOString() === v[0] &&
      TICKET_ID.test(v[1])
    ) {
      return { requestedAt: v[0], ticketId: v[1] };
    }
  } catch {
    // fall through
  }
  throw new BadRequestException({
    code: 'validation_failed',
    field: 'cursor',
    message: 'cursor: not a cursor this API returned',
  });
}
