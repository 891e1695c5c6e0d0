import { Body, Controller, HttpCode, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '@app/domain';
import { Roles } from '../auth/auth.decorators';
import { rolesFor } from '../auth/command-roles';
import type { Principal } from '../auth/token';
import { etag } from '../http/error-mapping';
import { IdempotencyInterceptor, IdempotencyKeyHeader } from '../http/idempotency.interceptor';
import { IfMatch } from '../http/if-match';
import { Ctx } from '../http/request-context';
import type { CommandContext } from '../infrastructure/command-context';
import { ExecuteTicketCommand, type ExistingTicketCommand } from './execute-ticket-command.handler';
import { FileRepairRequest } from './file-repair-request.handler';
import * as dto from './ticket.dto';
import type { TicketView } from './ticket-view';
import { TicketIdPipe } from '../http/ticket-id.pipe';

/** The partner a filing is for: a partner's own (it may not name another), or the one support names. */
function filingPartnerOf(principal: Principal, named: string | undefined): string {
  if (principal.role === 'partner') {
    if (named !== undefined && named !== principal.partnerId)
      throw new ValidationError('partnerId', 'a partner files for itself');
    return principal.partnerId;
  }
  if (named === undefined)
    throw new ValidationError('partnerId', 'required when support files for a partner');
  return named;
}

/** Validated DTOs are class instances; the domain and the store take plain JSON data. */
const plain = <T>(dto: T): T => JSON.parse(JSON.stringify(dto)) as T;

const ID = TicketIdPipe;

/**
 * Ticket commands. Each route is the kebab-case name of the domain command (the ticket detail lists the
 * allowed ones in `allowedActions`). Responses carry the new revision as ETag; send it back as If-Match to
 * refuse acting on a stale view (409). A repeated `Idempotency-Key` returns the first answer.
 */
@ApiTags('tickets: commands')
@IdempotencyKeyHeader()
@UseInterceptors(IdempotencyInterceptor)
@Controller('tickets')
export class TicketCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...rolesFor('RequestRepair'))
  @ApiOperation({
    summary:
      'File a repair request for an end user’s failed unit. Partners file for themselves; support files for a partner (`partnerId`) and may file over an open ticket (`overrideOpenTicket`). One open ticket per unit: otherwise 409 `open_ticket_exists` with `openTicketId`. Send an Idempotency-Key: a retry without one files a second ticket.',
  })
  async file(
    @Body() body: dto.FileRepairRequestDto,
    @Ctx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView> {
    const { partnerId, overrideOpenTicket, ...request } = plain(body);
    const filingPartner = filingPartnerOf(ctx.principal, partnerId);
    const view = await this.commands.execute(
      new FileRepairRequest(filingPartner, request, ctx, overrideOpenTicket?.reason ?? null),
    );
    res.status(201).setHeader('Location', `/tickets/${view.ticketId}`);
    res.setHeader('ETag', etag(view.revision));
    return view;
  }

  private async run(
    id: string,
    type: ExistingTicketCommand['type'],
    data: object,
    ctx: CommandContext,
    ifMatch: number | undefined,
    res: Response,
  ): Promise<TicketView> {
    const command = { type, data: plain(data) } as Pick<ExistingTicketCommand, 'type' | 'data'>;
    const view = await this.commands.execute(new ExecuteTicketCommand(id, command, ctx, ifMatch));
    res.setHeader('ETag', etag(view.revision));
    return view;
  }

  @Post(':id/submit-proof-of-delivery')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: 'Send the proof of the delivery date later (the ticket waits for it)' })
  submitProof(
    @Param('id', ID) id: string,
    @Body() b: dto.SubmitProofOfDeliveryDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'SubmitProofOfDelivery', b, c, m, r);
  }

  @Post(':id/proceed-without-proof')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: 'Go on without proof of delivery: the repair becomes chargeable' })
  @ApiBody({ type: dto.NoteDto, required: false })
  proceed(
    @Param('id', ID) id: string,
    @Body() b: dto.NoteDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ProceedWithoutProof', { note: b.note ?? null }, c, m, r);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'Escalate to customer support (the portal does it automatically on receipt)' })
  escalate(
    @Param('id', ID) id: string,
    @Body() b: dto.NoteDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'Escalate', { note: b.note ?? null }, c, m, r);
  }

  @Post(':id/ship-replacement')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: '① Ship a replacement unit to the partner' })
  shipReplacement(
    @Param('id', ID) id: string,
    @Body() b: dto.ShipReplacementDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ShipReplacement', b, c, m, r);
  }

  @Post(':id/confirm-replacement-delivered')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: '① The partner handed the replacement to the end user' })
  replacementDelivered(
    @Param('id', ID) id: string,
    @Body() b: dto.DeliveredDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ConfirmReplacementDelivered', b, c, m, r);
  }

  @Post(':id/return-failed-unit')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: '① Send the failed unit back to i-PRO in exchange' })
  returnFailed(
    @Param('id', ID) id: string,
    @Body() b: dto.ShipmentDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ReturnFailedUnit', b, c, m, r);
  }

  @Post(':id/send-failed-unit')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: '② Send the failed unit in for repair (at the partner’s cost)' })
  sendFailed(
    @Param('id', ID) id: string,
    @Body() b: dto.ShipmentDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'SendFailedUnit', b, c, m, r);
  }

  @Post(':id/receive-failed-unit')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: '② i-PRO received the failed unit' })
  receiveFailed(
    @Param('id', ID) id: string,
    @Body() b: dto.ReceiveFailedUnitDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ReceiveFailedUnit', b, c, m, r);
  }

  @Post(':id/record-inspection-finding')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'An exclusion (1)–(6) found at inspection: the repair becomes chargeable' })
  inspection(
    @Param('id', ID) id: string,
    @Body() b: dto.InspectionFindingDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'RecordInspectionFinding', b, c, m, r);
  }

  @Post(':id/complete-repair')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: '② The repair is done' })
  completeRepair(
    @Param('id', ID) id: string,
    @Body() b: dto.CompleteRepairDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'CompleteRepair', b, c, m, r);
  }

  @Post(':id/ship-repaired-unit')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: '② Ship the repaired unit to the partner (at i-PRO’s cost)' })
  shipRepaired(
    @Param('id', ID) id: string,
    @Body() b: dto.ShipmentDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ShipRepairedUnit', b, c, m, r);
  }

  @Post(':id/confirm-repaired-unit-delivered')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: '② The partner handed the repaired unit to the end user' })
  repairedDelivered(
    @Param('id', ID) id: string,
    @Body() b: dto.DeliveredDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ConfirmRepairedUnitDelivered', b, c, m, r);
  }

  @Post(':id/return-unrepaired-unit')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'Send a held unit back unrepaired (declined quote or rejection)' })
  returnUnrepaired(
    @Param('id', ID) id: string,
    @Body() b: dto.ShipmentDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'ReturnUnrepairedUnit', b, c, m, r);
  }

  @Post(':id/dispatch-onsite')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: '③ Arrange a technician and parts for an onsite repair' })
  dispatchOnsite(
    @Param('id', ID) id: string,
    @Body() b: dto.DispatchOnsiteDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'DispatchOnsite', b, c, m, r);
  }

  @Post(':id/complete-onsite-repair')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: '③ The onsite repair is done' })
  completeOnsite(
    @Param('id', ID) id: string,
    @Body() b: dto.CompleteOnsiteRepairDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'CompleteOnsiteRepair', b, c, m, r);
  }

  @Post(':id/issue-quote')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'Quote a chargeable repair (separate charge lines)' })
  issueQuote(
    @Param('id', ID) id: string,
    @Body() b: dto.IssueQuoteDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(
      id,
      'IssueQuote',
      { quoteId: b.quoteId ?? randomUUID(), lines: b.lines, validUntil: b.validUntil ?? null },
      c,
      m,
      r,
    );
  }

  @Post(':id/accept-quote')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: 'Accept the quote: the paid repair goes on' })
  acceptQuote(
    @Param('id', ID) id: string,
    @Body() b: dto.QuoteDecisionDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'AcceptQuote', { quoteId: b.quoteId }, c, m, r);
  }

  @Post(':id/decline-quote')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: 'Decline the quote' })
  declineQuote(
    @Param('id', ID) id: string,
    @Body() b: dto.QuoteDecisionDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'DeclineQuote', { quoteId: b.quoteId, reason: b.reason ?? null }, c, m, r);
  }

  @Post(':id/reject-repair')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'Unrepairable: the customer buys a new one' })
  reject(
    @Param('id', ID) id: string,
    @Body() b: dto.RejectRepairDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'RejectRepair', b, c, m, r);
  }

  @Post(':id/close-ticket')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'Close the ticket' })
  close(
    @Param('id', ID) id: string,
    @Body() b: dto.NoteDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'CloseTicket', { note: b.note ?? null }, c, m, r);
  }

  @Post(':id/cancel-ticket')
  @HttpCode(200)
  @Roles('partner', 'support')
  @ApiOperation({ summary: 'Cancel the request (before anything was shipped or dispatched)' })
  cancel(
    @Param('id', ID) id: string,
    @Body() b: dto.CancelTicketDto,
    @Ctx() c: CommandContext,
    @IfMatch() m: number | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.run(id, 'CancelTicket', b, c, m, r);
  }
}
