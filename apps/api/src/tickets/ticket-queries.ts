import { BadRequestException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isCalendarDate, isInstant, type RepairTicketState, TicketNotFoundError } from '@app/domain';
import {
  AS_OF_STEPS_SQL,
  type AsOfStepRow,
  foldHistory,
  toHistoryStep,
  TicketEventEntity,
  TicketSummaryEntity,
} from '@app/read-models';
import { DataSource } from 'typeorm';
import { TICKET_ID } from '../http/ticket-id.pipe';
import type { Principal } from '../auth/token';
import { eventDataFor } from './partner-isolation';
import { type TicketView, toTicketView, visibleTo } from './ticket-view';

/** All ticket queries read the projections; nothing replays events per request. */

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

export interface TicketListItem {
  readonly ticketId: string;
  readonly partnerId: string;
  readonly serialNumber: string;
  readonly modelNumber: string;
  readonly status: string;
  readonly scheme: string | null;
  readonly coverage: string | null;
  readonly chargeable: boolean | null;
  readonly requestedAt: string;
  readonly updatedAt: string;
  readonly revision: number;
}

export interface TicketPage {
  readonly items: TicketListItem[];
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
  constructor(private readonly db: DataSource) {}

  async execute({ filter: f, principal }: ListTickets): Promise<TicketPage> {
    const qb = this.db.getRepository(TicketSummaryEntity).createQueryBuilder('t');
    // A partner only ever sees its own tickets, whatever it asks for.
    const partnerId = principal.role === 'partner' ? principal.partnerId : f.partnerId;
    if (partnerId !== undefined) qb.andWhere('t.partner_id = :partnerId', { partnerId });
    if (f.status?.length) qb.andWhere('t.status IN (:...status)', { status: f.status });
    if (f.scheme?.length) qb.andWhere('t.scheme IN (:...scheme)', { scheme: f.scheme });
    if (f.coverage?.length) qb.andWhere('t.coverage IN (:...coverage)', { coverage: f.coverage });
    if (f.serialNumber) qb.andWhere('t.serial = :serial', { serial: f.serialNumber });
    if (f.requestedFrom) qb.andWhere('t.requested_at >= :from', { from: startOfJapanDay(f.requestedFrom) });
    if (f.requestedTo) qb.andWhere('t.requested_at < :to', { to: startOfJapanDay(f.requestedTo) });
    if (f.cursor) {
      const c = decodeCursor(f.cursor);
      qb.andWhere('(t.requested_at, t.ticket_id) < (:at, :id)', { at: c.at, id: c.id });
    }
    const rows = await qb
      .orderBy('t.requested_at', 'DESC')
      .addOrderBy('t.ticket_id', 'DESC')
      .limit(f.limit + 1)
      .getMany();
    const page = rows.slice(0, f.limit);
    const last = page.at(-1);
    return {
      items: page.map(toListItem),
      nextCursor:
        rows.length > f.limit && last ? encodeCursor(last.requestedAt.toISOString(), last.ticketId) : null,
    };
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
  constructor(private readonly db: DataSource) {}

  async execute({ ticketId, principal }: GetTicket): Promise<TicketView> {
    const row = await this.db.getRepository(TicketSummaryEntity).findOneBy({ ticketId });
    const state = row?.state as RepairTicketState | undefined;
    if (!row || !state || !visibleTo(state, principal)) throw new TicketNotFoundError(ticketId);
    return toTicketView(ticketId, state, row.revision, principal);
  }
}

export interface HistoryEntry {
  readonly revision: number;
  readonly globalPosition: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: unknown;
}

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
  constructor(private readonly db: DataSource) {}

  async execute({
    ticketId,
    principal,
  }: GetTicketHistory): Promise<{ ticketId: string; events: HistoryEntry[] }> {
    await assertVisible(this.db, ticketId, principal);
    const rows = await this.db
      .getRepository(TicketEventEntity)
      .find({ where: { ticketId }, order: { revision: 'ASC' } });
    return {
      ticketId,
      events: rows.map((r) => ({
        revision: r.revision,
        globalPosition: r.globalPosition,
        eventId: r.eventId,
        type: r.type,
        schemaVersion: r.schemaVersion,
        recordedAt: r.recordedAt.toISOString(),
        actor: r.actor,
        correlationId: r.correlationId,
        causationId: r.causationId,
        data: eventDataFor(principal, r.type, r.data),
      })),
    };
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

/**
 * The state right after the last event recorded at or before `asOf`: the nearest history snapshot at or below
 * it plus the (fewer than SNAPSHOT_EVERY) history rows after it, folded with the domain's `evolve`.
 */
@QueryHandler(GetTicketAsOf)
export class GetTicketAsOfHandler implements IQueryHandler<GetTicketAsOf, TicketAsOf> {
  constructor(private readonly db: DataSource) {}

  async execute({ ticketId, asOf, principal }: GetTicketAsOf): Promise<TicketAsOf> {
    await assertVisible(this.db, ticketId, principal);
    const rows: AsOfStepRow[] = await this.db.query(AS_OF_STEPS_SQL, [ticketId, asOf]);
    const last = rows[rows.length - 1];
    if (!last) {
      throw new TicketNotFoundError(ticketId); // the ticket did not exist yet at that time
    }
    const state = foldHistory(rows.map(toHistoryStep));
    return {
      asOf: asOf.toISOString(),
      revision: last.revision,
      lastEventType: last.type,
      lastEventRecordedAt: last.recorded_at.toISOString(),
      ticket: toTicketView(ticketId, state, last.revision, principal),
    };
  }
}

async function assertVisible(db: DataSource, ticketId: string, principal: Principal): Promise<void> {
  const row = await db
    .getRepository(TicketSummaryEntity)
    .findOne({ where: { ticketId }, select: { ticketId: true, partnerId: true } });
  if (!row || (principal.role === 'partner' && row.partnerId !== principal.partnerId))
    throw new TicketNotFoundError(ticketId);
}

function toListItem(r: TicketSummaryEntity): TicketListItem {
  return {
    ticketId: r.ticketId,
    partnerId: r.partnerId,
    serialNumber: r.serial,
    modelNumber: r.modelNumber,
    status: r.status,
    scheme: r.scheme,
    coverage: r.coverage,
    chargeable: r.chargeable,
    requestedAt: r.requestedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    revision: r.revision,
  };
}

/**
 * A calendar date names a Japan day (README, "Time of day"): it starts at 00:00 in Japan, not at the database
 * session's midnight (PostgreSQL would read a bare date in its TimeZone, UTC on most servers). Instants pass as
 * they are.
 */
function startOfJapanDay(dateOrInstant: string): string {
  return isCalendarDate(dateOrInstant) ? `${dateOrInstant}T00:00:00+09:00` : dateOrInstant;
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Only what encodeCursor can produce passes: an instant exactly as toISOString writes it, on a day of the
 * calendar the service handles, and a ticket id; anything else is a 400 before the query is built.
 */
function decodeCursor(cursor: string): { at: string; id: string } {
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
      return { at: v[0], id: v[1] };
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
