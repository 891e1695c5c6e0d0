import { Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '@app/domain';
import { Roles } from '../auth/auth.decorators';
import { rolesFor } from '../auth/command-roles';
import type { Principal } from '../auth/token';
import { CommandBody } from '../http/command-body';
import { IdempotencyInterceptor, IdempotencyKeyHeader } from '../http/idempotency.interceptor';
import { Ctx } from '../http/request-context';
import type { CommandContext } from '../infrastructure/command-context';
import { ExecuteTicketCommand } from './execute-ticket-command.handler';
import { FileRepairRequest } from './file-repair-request.handler';
import {
  RevisionEtagInterceptor,
  Target,
  TicketCommand,
  type TicketCommandInput,
  type TicketTarget,
} from './ticket-command.decorator';
import * as dto from './ticket.dto';
import type { TicketView } from './ticket-view';

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

/**
 * Ticket commands, each declared once by `@TicketCommand` (ticket-command.decorator.ts): the route is the
 * kebab-case name of the domain command (the ticket detail lists the allowed ones in `allowedActions`).
 * Responses carry the new revision as ETag; send it back as If-Match to refuse acting on a stale view (409).
 * A repeated `Idempotency-Key` returns the first answer. Method names are the OpenAPI operation ids.
 */
@ApiTags('tickets: commands')
@IdempotencyKeyHeader()
@UseInterceptors(IdempotencyInterceptor, RevisionEtagInterceptor)
@Controller('tickets')
export class TicketCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles(...rolesFor('RequestRepair'))
  @ApiOperation({
    summary:
      'File a repair request for an end user’s failed unit. Partners file for themselves; support files for a partner (`partnerId`) and may file over an open ticket (`overrideOpenTicket`). One open ticket per unit: otherwise 409 `open_ticket_exists` with `openTicketId`. Send an Idempotency-Key: a retry without one files a second ticket.',
  })
  async file(
    @CommandBody() body: dto.FileRepairRequestDto,
    @Ctx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView> {
    const { partnerId, overrideOpenTicket, ...request } = body;
    const filingPartner = filingPartnerOf(ctx.principal, partnerId);
    const view = await this.commands.execute(
      new FileRepairRequest(filingPartner, request, ctx, overrideOpenTicket?.reason ?? null),
    );
    res.setHeader('Location', `/tickets/${view.ticketId}`);
    return view;
  }

  private run({ ticketId, ctx, ifMatch }: TicketTarget, command: TicketCommandInput): Promise<TicketView> {
    return this.commands.execute(new ExecuteTicketCommand(ticketId, command, ctx, ifMatch));
  }

  @TicketCommand('SubmitProofOfDelivery', dto.SubmitProofOfDeliveryDto, {
    summary: 'Send the proof of the delivery date later (the ticket waits for it)',
  })
  submitProof(@CommandBody() b: dto.SubmitProofOfDeliveryDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'SubmitProofOfDelivery', data: b });
  }

  @TicketCommand('ProceedWithoutProof', dto.NoteDto, {
    summary: 'Go on without proof of delivery: the repair becomes chargeable',
    optionalBody: true,
  })
  proceed(@CommandBody() b: dto.NoteDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ProceedWithoutProof', data: { note: b.note ?? null } });
  }

  @TicketCommand('Escalate', dto.NoteDto, {
    summary: 'Escalate to customer support (the portal does it automatically on receipt)',
  })
  escalate(@CommandBody() b: dto.NoteDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'Escalate', data: { note: b.note ?? null } });
  }

  @TicketCommand('ShipReplacement', dto.ShipReplacementDto, {
    summary: '① Ship a replacement unit to the partner',
  })
  shipReplacement(@CommandBody() b: dto.ShipReplacementDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ShipReplacement', data: b });
  }

  @TicketCommand('ConfirmReplacementDelivered', dto.DeliveredDto, {
    summary: '① The partner handed the replacement to the end user',
  })
  replacementDelivered(@CommandBody() b: dto.DeliveredDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ConfirmReplacementDelivered', data: b });
  }

  @TicketCommand('ReturnFailedUnit', dto.ShipmentDto, {
    summary: '① Send the failed unit back to i-PRO in exchange',
  })
  returnFailed(@CommandBody() b: dto.ShipmentDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ReturnFailedUnit', data: b });
  }

  @TicketCommand('SendFailedUnit', dto.ShipmentDto, {
    summary: '② Send the failed unit in for repair (at the partner’s cost)',
  })
  sendFailed(@CommandBody() b: dto.ShipmentDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'SendFailedUnit', data: b });
  }

  @TicketCommand('ReceiveFailedUnit', dto.ReceiveFailedUnitDto, {
    summary: '② i-PRO received the failed unit',
  })
  receiveFailed(@CommandBody() b: dto.ReceiveFailedUnitDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ReceiveFailedUnit', data: b });
  }

  @TicketCommand('RecordInspectionFinding', dto.InspectionFindingDto, {
    summary: 'An exclusion (1)–(6) found at inspection: the repair becomes chargeable',
  })
  inspection(@CommandBody() b: dto.InspectionFindingDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'RecordInspectionFinding', data: b });
  }

  @TicketCommand('CompleteRepair', dto.CompleteRepairDto, { summary: '② The repair is done' })
  completeRepair(@CommandBody() b: dto.CompleteRepairDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'CompleteRepair', data: b });
  }

  @TicketCommand('ShipRepairedUnit', dto.ShipmentDto, {
    summary: '② Ship the repaired unit to the partner (at i-PRO’s cost)',
  })
  shipRepaired(@CommandBody() b: dto.ShipmentDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ShipRepairedUnit', data: b });
  }

  @TicketCommand('ConfirmRepairedUnitDelivered', dto.DeliveredDto, {
    summary: '② The partner handed the repaired unit to the end user',
  })
  repairedDelivered(@CommandBody() b: dto.DeliveredDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ConfirmRepairedUnitDelivered', data: b });
  }

  @TicketCommand('ReturnUnrepairedUnit', dto.ShipmentDto, {
    summary: 'Send a held unit back unrepaired (declined quote or rejection)',
  })
  returnUnrepaired(@CommandBody() b: dto.ShipmentDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'ReturnUnrepairedUnit', data: b });
  }

  @TicketCommand('DispatchOnsite', dto.DispatchOnsiteDto, {
    summary: '③ Arrange a technician and parts for an onsite repair',
  })
  dispatchOnsite(@CommandBody() b: dto.DispatchOnsiteDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'DispatchOnsite', data: b });
  }

  @TicketCommand('CompleteOnsiteRepair', dto.CompleteOnsiteRepairDto, {
    summary: '③ The onsite repair is done',
  })
  completeOnsite(@CommandBody() b: dto.CompleteOnsiteRepairDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'CompleteOnsiteRepair', data: b });
  }

  @TicketCommand('IssueQuote', dto.IssueQuoteDto, {
    summary: 'Quote a chargeable repair (separate charge lines)',
  })
  issueQuote(@CommandBody() b: dto.IssueQuoteDto, @Target() t: TicketTarget) {
    const data = { quoteId: b.quoteId ?? randomUUID(), lines: b.lines, validUntil: b.validUntil ?? null };
    return this.run(t, { type: 'IssueQuote', data });
  }

  @TicketCommand('AcceptQuote', dto.QuoteDecisionDto, {
    summary: 'Accept the quote: the paid repair goes on',
  })
  acceptQuote(@CommandBody() b: dto.QuoteDecisionDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'AcceptQuote', data: { quoteId: b.quoteId } });
  }

  @TicketCommand('DeclineQuote', dto.QuoteDecisionDto, {
    summary: 'Decline the quote',
  })
  declineQuote(@CommandBody() b: dto.QuoteDecisionDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'DeclineQuote', data: { quoteId: b.quoteId, reason: b.reason ?? null } });
  }

  @TicketCommand('RejectRepair', dto.RejectRepairDto, {
    summary: 'Unrepairable: the customer buys a new one',
  })
  reject(@CommandBody() b: dto.RejectRepairDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'RejectRepair', data: b });
  }

  @TicketCommand('CloseTicket', dto.NoteDto, { summary: 'Close the ticket' })
  close(@CommandBody() b: dto.NoteDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'CloseTicket', data: { note: b.note ?? null } });
  }

  @TicketCommand('CancelTicket', dto.CancelTicketDto, {
    summary: 'Cancel the request (before anything was shipped or dispatched)',
  })
  cancel(@CommandBody() b: dto.CancelTicketDto, @Target() t: TicketTarget) {
    return this.run(t, { type: 'CancelTicket', data: b });
  }
}
