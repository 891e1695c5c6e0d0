import { applyDecorators, Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { COVERAGES, REPAIR_SCHEMES, TICKET_STATUSES } from '@app/domain';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/token';
import { etag } from '../http/error-mapping';
import { IsDateOrInstant } from '../http/validation';
import {
  GetTicket,
  GetTicketAsOf,
  GetTicketHistory,
  type HistoryEntry,
  ListTickets,
  type TicketAsOf,
  type TicketPage,
} from './ticket-queries';
import type { TicketView } from './ticket-view';
import { TicketIdPipe } from '../http/ticket-id.pipe';

const ID = TicketIdPipe;
const list = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;

/** A filter given as a comma-separated list of the domain's values (at most 20). */
function CommaList(values: readonly string[], description: string, example?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example }),
    IsOptional(),
    Transform(list),
    ArrayMaxSize(20),
    IsIn(values, { each: true }),
  );
}

export class ListTicketsQueryDto {
  @CommaList(TICKET_STATUSES, 'Comma-separated statuses', 'escalated,in_transit_to_partner')
  status?: string[];
  @CommaList(REPAIR_SCHEMES, 'Comma-separated schemes', 'replacement,pickup_repair')
  scheme?: string[];
  @CommaList(COVERAGES, 'Comma-separated coverages')
  coverage?: string[];
  @ApiPropertyOptional({ description: 'Staff only; a partner always sees its own tickets' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) serialNumber?: string;
  @ApiPropertyOptional({ description: 'Requested at or after (ISO date or instant)' })
  @IsOptional()
  @IsDateOrInstant()
  requestedFrom?: string;
  @ApiPropertyOptional({ description: 'Requested before (ISO date or instant)' })
  @IsOptional()
  @IsDateOrInstant()
  requestedTo?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'ISO-8601 instant', example: '2026-01-31T09:00:00Z' })
  @IsDateOrInstant()
  at!: string;
}

@ApiTags('tickets: queries')
@Controller('tickets')
export class TicketQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('partner', 'support', 'auditor', 'ops')
  @ApiOperation({ summary: 'List tickets (filters, newest first, cursor pagination)' })
  list(@QueryParams() q: ListTicketsQueryDto, @CurrentPrincipal() p: Principal): Promise<TicketPage> {
    const { limit, ...filter } = q;
    return this.queries.execute(new ListTickets({ ...filter, limit: limit ?? 50 }, p));
  }

  @Get(':id')
  @Roles('partner', 'support', 'auditor', 'ops')
  @ApiOperation({ summary: 'Ticket detail with the actions allowed next; ETag = revision' })
  async get(
    @Param('id', ID) id: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView> {
    const view = await this.queries.execute(new GetTicket(id, p));
    res.setHeader('ETag', etag(view.revision));
    return view;
  }

  @Get(':id/history')
  @Roles('partner', 'support', 'auditor')
  @ApiOperation({ summary: 'Every event of the ticket with actor, time and correlation (auditors)' })
  history(
    @Param('id', ID) id: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<{ ticketId: string; events: HistoryEntry[] }> {
    return this.queries.execute(new GetTicketHistory(id, p));
  }

  @Get(':id/as-of')
  @Roles('support', 'auditor')
  @ApiOperation({ summary: 'The ticket as it stood at a past time (auditors)' })
  @ApiQuery({ name: 'at', required: true })
  asOf(
    @Param('id', ID) id: string,
    @QueryParams() q: AsOfQueryDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<TicketAsOf> {
    return this.queries.execute(new GetTicketAsOf(id, new Date(q.at), p));
  }
}
