import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query as QueryParams,
} from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  type Assessment,
  assessmentFactsFor,
  assessWarranty,
  catalogFactFor,
  type MembershipFact,
  tokyoDateOf,
} from '@app/domain';
import { ReferenceReadModel, TicketReadModel } from '@app/read-models';
import { IsOptional } from 'class-validator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/token';
import { IsCalendarDate } from '../http/validation';
import { seesSaleOf } from '../tickets/partner-isolation';

export interface WarrantyStatus {
  readonly serialNumber: string;
  readonly modelNumber: string;
  /** Today in Japan time: the status is an assessment of a main-unit failure on this day, proof assumed. */
  readonly asOf: string;
  readonly deliveryDate: string;
  /** `latest_ticket`: the latest ticket the caller may see (for a partner, its own latest ticket). */
  readonly deliveryDateSource: 'query' | 'latest_ticket';
  readonly coverage: Assessment['coverage'];
  readonly reasons: Assessment['reasons'];
  readonly scheme: Assessment['scheme'];
  readonly periods: Assessment['periods'];
  readonly catalogVersion: string;
  /** Null for a partner when the unit was sold to another partner (that partner's record). */
  readonly membership: MembershipFact | null;
  /** The sales record; null when there is none, and for a partner when it names another partner. */
  readonly sale: { partnerId: string; saleDate: string; soldInJapan: boolean } | null;
  readonly pastTickets: {
    ticketId: string;
    status: string;
    scheme: string | null;
    coverage: string | null;
    requestedAt: string;
  }[];
}

export class GetWarrantyStatus extends Query<WarrantyStatus> {
  constructor(
    readonly serialNumber: string,
    readonly deliveryDate: string | undefined,
    readonly principal: Principal,
    readonly now: string,
  ) {
    super();
  }
}

/**
 * Warranty status of a serial today, computed with the same policy as a real request (failure today, main
 * unit, proof of delivery assumed present). The delivery date comes from the query or the latest ticket of
 * the serial the caller may see: sales records hold the sale to the partner, not the end-user delivery.
 *
 * Partner isolation (README "Access"): a partner may ask about a serial sold to it or one it has filed a
 * ticket for (404 otherwise, like an unknown serial), and sees only its own tickets and its own sales record.
 * The verdict is the one a request filed by this partner today would get — the same facts a filing uses —
 * but another partner's sale and membership are not shown.
 */
@QueryHandler(GetWarrantyStatus)
export class GetWarrantyStatusHandler implements IQueryHandler<GetWarrantyStatus, WarrantyStatus> {
  constructor(
    private readonly tickets: TicketReadModel,
    private readonly reference: ReferenceReadModel,
  ) {}

  async execute({ serialNumber, deliveryDate, principal, now }: GetWarrantyStatus): Promise<WarrantyStatus> {
    const today = tokyoDateOf(now);
    const sale = await this.reference.saleOf(serialNumber);
    const tickets = await this.tickets.ticketsOfSerial(serialNumber);
    const visible =
      principal.role === 'partner' ? tickets.filter((t) => t.partnerId === principal.partnerId) : tickets;
    const ownSale = sale !== null && seesSaleOf(principal, sale.partnerId);
    if (!ownSale && visible.length === 0) {
      throw new NotFoundException({
        code: 'serial_not_found',
        message: `no sales record or ticket for serial ${serialNumber}`,
      });
    }
    const latest = visible[0];
    const delivery = deliveryDate ?? latest?.deliveryDate;
    if (!delivery) {
      throw new BadRequestException({
        code: 'validation_failed',
        field: 'deliveryDate',
        message: 'deliveryDate: no ticket records the end-user delivery date of this serial; pass it',
      });
    }
    const catalogVersion = await this.reference.catalogInForce(today);
    const partner = sale ? await this.reference.partnerState(sale.partnerId) : null;
    // The same facts, and the same rules for what is not on record, as a filing (assessmentFactsFor).
    const { unit, catalog, membership } = assessmentFactsFor(
      {
        sale,
        soldToPartner: partner,
        catalogFact: (model) => (catalogVersion ? catalogFactFor(catalogVersion, model) : null),
      },
      {
        serialNumber,
        modelNumber: latest?.modelNumber ?? '',
        modelSource: 'ticket',
        deliveryDate: delivery,
        usedInJapan: true,
        filingPartnerId: latest?.partnerId ?? '',
      },
    );
    const assessment = assessWarranty({
      unit,
      catalog,
      membership,
      failure: {
        failureDate: today < delivery ? delivery : today,
        description: 'warranty status query',
        component: 'main_unit',
      },
      proofOfDelivery: { kind: 'other', reference: 'assumed for a status query' },
      proceedWithoutProof: false,
      site: { prefecture: '-', remoteArea: false },
      onsiteRequested: false,
      requestDate: today < delivery ? delivery : today,
    });
    return {
      serialNumber,
      modelNumber: unit.modelNumber,
      asOf: today,
      deliveryDate: delivery,
      deliveryDateSource: deliveryDate ? 'query' : 'latest_ticket',
      coverage: assessment.coverage,
      reasons: assessment.reasons,
      scheme: assessment.scheme,
      periods: assessment.periods,
      catalogVersion: catalog.version,
      membership: seesSaleOf(principal, membership.partnerId) ? membership : null,
      sale: ownSale
        ? { partnerId: sale.partnerId, saleDate: sale.saleDate, soldInJapan: sale.soldInJapan }
        : null,
      pastTickets: visible.map((t) => ({
        ticketId: t.ticketId,
        status: t.status,
        scheme: t.scheme,
        coverage: t.coverage,
        requestedAt: t.requestedAt,
      })),
    };
  }
}

export class WarrantyStatusQueryDto {
  @ApiPropertyOptional({ description: 'End-user delivery date; defaults to the one on the latest ticket' })
  @IsOptional()
  @IsCalendarDate()
  deliveryDate?: string;
}

@ApiTags('warranty')
@Controller('warranty')
export class WarrantyController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':serialNumber')
  @Roles('partner', 'support', 'auditor', 'ops')
  @ApiOperation({ summary: 'Warranty status of a serial today: coverage, both periods, past tickets' })
  status(
    @Param('serialNumber') serial: string,
    @QueryParams() q: WarrantyStatusQueryDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<WarrantyStatus> {
    return this.queries.execute(new GetWarrantyStatus(serial, q.deliveryDate, p, new Date().toISOString()));
  }
}
