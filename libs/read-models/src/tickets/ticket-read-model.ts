import { isCalendarDate, type TicketStatus } from '@app/domain';
import type { DataSource } from 'typeorm';
import { AS_OF_STEPS_SQL, type AsOfStepRow, foldHistory, toHistoryStep } from './snapshots';
import { type TicketDetailsV1, toTicketDetails } from './ticket-details';
import { TicketEventEntity } from './ticket-event.entity';
import { TicketSummaryEntity } from './ticket-summary.entity';

/** A row of the ticket list (versioned by name: see ticket-details.ts). */
export interface TicketListRowV1 {
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

/** Where a page of the list ends: the list is ordered by (requestedAt, ticketId), newest first. */
export interface TicketListPosition {
  readonly requestedAt: string;
  readonly ticketId: string;
}

export interface TicketListFilter {
  readonly status?: readonly string[] | undefined;
  readonly scheme?: readonly string[] | undefined;
  readonly coverage?: readonly string[] | undefined;
  /** The caller's scope: a partner's own tickets (the api sets it for partners, whatever they ask for). */
  readonly partnerId?: string | undefined;
  readonly serialNumber?: string | undefined;
  /** Requested on or after / before: an instant, or a calendar date naming a Japan day. */
  readonly requestedFrom?: string | undefined;
  readonly requestedTo?: string | undefined;
  /** Rows strictly after this position. */
  readonly after?: TicketListPosition | undefined;
  readonly limit: number;
}

export interface TicketListPageV1 {
  readonly rows: readonly TicketListRowV1[];
  /** The position of the last row when more rows follow; null on the last page. */
  readonly next: TicketListPosition | null;
}

/** One event of a ticket's history, with who/when/correlation, its data as recorded. */
export interface TicketHistoryEntryV1 {
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

/** The ticket as it stood at a past instant: the revision in force then, the event that produced it. */
export interface TicketAsOfV1 {
  readonly revision: number;
  readonly lastEventType: string;
  readonly lastEventRecordedAt: string;
  readonly details: TicketDetailsV1;
}

/** A ticket of a serial, with what the warranty status takes from it (the end-user delivery date). */
export interface SerialTicketV1 {
  readonly ticketId: string;
  readonly partnerId: string;
  readonly modelNumber: string;
  readonly status: TicketStatus;
  readonly scheme: string | null;
  readonly coverage: string | null;
  readonly requestedAt: string;
  /** The end-user delivery date the request recorded. */
  readonly deliveryDate: string | null;
}

/**
 * The query port of the tickets read model: everything the api reads about tickets. Nothing here replays the
 * event store per request; the as-of query folds at most SNAPSHOT_EVERY history rows.
 */
export abstract class TicketReadModel {
  /** Newest first, keyset-paginated (pages never shift). */
  abstract list(filter: TicketListFilter): Promise<TicketListPageV1>;
  abstract findDetails(ticketId: string): Promise<TicketDetailsV1 | null>;
  /** The ticket's owner (the filing partner), or null for an unknown ticket. */
  abstract ownerOf(ticketId: string): Promise<string | null>;
  /** Every event of the ticket, by revision. */
  abstract history(ticketId: string): Promise<TicketHistoryEntryV1[]>;
  /** Null when the ticket did not exist yet at `at`. */
  abstract asOf(ticketId: string, at: Date): Promise<TicketAsOfV1 | null>;
  /** The tickets of a serial, newest request first. */
  abstract ticketsOfSerial(serialNumber: string): Promise<SerialTicketV1[]>;
}

/** The port on the read-model database (PostgreSQL server or PGlite), through TypeORM. */
export class SqlTicketReadModel extends TicketReadModel {
  constructor(private readonly db: DataSource) {
    super();
  }

  async list(f: TicketListFilter): Promise<TicketListPageV1> {
    const qb = this.db
      .getRepository(TicketSummaryEntity)
      .createQueryBuilder('t')
      .select(LIST_COLUMNS.map((c) => `t.${c}`));
    if (f.partnerId !== undefined) qb.andWhere('t.partner_id = :partnerId', { partnerId: f.partnerId });
    if (f.status?.length) qb.andWhere('t.status IN (:...status)', { status: f.status });
    if (f.scheme?.length) qb.andWhere('t.scheme IN (:...scheme)', { scheme: f.scheme });
    if (f.coverage?.length) qb.andWhere('t.coverage IN (:...coverage)', { coverage: f.coverage });
    if (f.serialNumber) qb.andWhere('t.serial = :serial', { serial: f.serialNumber });
    if (f.requestedFrom) qb.andWhere('t.requested_at >= :from', { from: startOfJapanDay(f.requestedFrom) });
    if (f.requestedTo) qb.andWhere('t.requested_at < :to', { to: startOfJapanDay(f.requestedTo) });
    if (f.after) {
      qb.andWhere('(t.requested_at, t.ticket_id) < (:at, :id)', {
        at: f.after.requestedAt,
        id: f.after.ticketId,
      });
    }
    const rows = await qb
      .orderBy('t.requested_at', 'DESC')
      .addOrderBy('t.ticket_id', 'DESC')
      .limit(f.limit + 1)
      .getMany();
    const page = rows.slice(0, f.limit).map(toListRow);
    const last = page.at(-1);
    return {
      rows: page,
      next: rows.length > f.limit && last ? { requestedAt: last.requestedAt, ticketId: last.ticketId } : null,
    };
  }

  async findDetails(ticketId: string): Promise<TicketDetailsV1 | null> {
    const row = await this.db
      .getRepository(TicketSummaryEntity)
      .findOne({ where: { ticketId }, select: { ticketId: true, details: true } });
    return (row?.details as TicketDetailsV1 | undefined) ?? null;
  }

  async ownerOf(ticketId: string): Promise<string | null> {
    const row = await this.db
      .getRepository(TicketSummaryEntity)
      .findOne({ where: { ticketId }, select: { ticketId: true, partnerId: true } });
    return row?.partnerId ?? null;
  }

  async history(ticketId: string): Promise<TicketHistoryEntryV1[]> {
    const rows = await this.db
      .getRepository(TicketEventEntity)
      .find({ where: { ticketId }, order: { revision: 'ASC' } });
    return rows.map((r) => ({
      revision: r.revision,
      globalPosition: r.globalPosition,
      eventId: r.eventId,
      type: r.type,
      schemaVersion: r.schemaVersion,
      recordedAt: r.recordedAt.toISOString(),
      actor: r.actor,
      correlationId: r.correlationId,
      causationId: r.causationId,
      data: r.data,
    }));
  }

  /**
   * The nearest history snapshot at or below `at` plus the (fewer than SNAPSHOT_EVERY) history rows after it,
   * folded with the domain's `evolve`, then mapped as the projection maps the current state.
   */
  async asOf(ticketId: string, at: Date): Promise<TicketAsOfV1 | null> {
    const rows: AsOfStepRow[] = await this.db.query(AS_OF_STEPS_SQL, [ticketId, at]);
    const last = rows[rows.length - 1];
    if (!last) return null;
    return {
      revision: last.revision,
      lastEventType: last.type,
      lastEventRecordedAt: last.recorded_at.toISOString(),
      details: toTicketDetails(ticketId, foldHistory(rows.map(toHistoryStep)), last.revision),
    };
  }

  async ticketsOfSerial(serialNumber: string): Promise<SerialTicketV1[]> {
    const rows = await this.db.getRepository(TicketSummaryEntity).find({
      where: { serial: serialNumber },
      order: { requestedAt: 'DESC' },
      select: {
        ticketId: true,
        partnerId: true,
        modelNumber: true,
        status: true,
        scheme: true,
        coverage: true,
        requestedAt: true,
        deliveryDate: true,
      },
    });
    return rows.map((t) => ({
      ticketId: t.ticketId,
      partnerId: t.partnerId,
      modelNumber: t.modelNumber,
      status: t.status as TicketStatus,
      scheme: t.scheme,
      coverage: t.coverage,
      requestedAt: t.requestedAt.toISOString(),
      deliveryDate: t.deliveryDate,
    }));
  }
}

/** The columns a list row shows (the details document stays in the table). */
const LIST_COLUMNS = [
  'ticketId',
  'partnerId',
  'serial',
  'modelNumber',
  'status',
  'scheme',
  'coverage',
  'chargeable',
  'requestedAt',
  'updatedAt',
  'revision',
] as const satisfies readonly (keyof TicketSummaryEntity)[];

function toListRow(r: TicketSummaryEntity): TicketListRowV1 {
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
