import { Module } from '@nestjs/common';
import { GetWarrantyStatusHandler, WarrantyController } from '../warranty/warranty-status';
import { ExecuteTicketCommandHandler } from './execute-ticket-command.handler';
import { FileRepairRequestHandler } from './file-repair-request.handler';
import { TicketCommandsController } from './ticket-commands.controller';
import { TicketCommitService } from './ticket-commit.service';
import { TicketQueriesController } from './ticket-queries.controller';
import {
  GetTicketAsOfHandler,
  GetTicketHandler,
  GetTicketHistoryHandler,
  ListTicketsHandler,
} from './ticket-queries';
import { UnitClaims } from './unit-claims';

/** Repair tickets: filing and every later command, the ticket reads, and a unit's warranty status with its tickets. */
@Module({
  controllers: [TicketCommandsController, TicketQueriesController, WarrantyController],
  providers: [
    TicketCommitService,
    UnitClaims,
    FileRepairRequestHandler,
    ExecuteTicketCommandHandler,
    ListTicketsHandler,
    GetTicketHandler,
    GetTicketHistoryHandler,
    GetTicketAsOfHandler,
    GetWarrantyStatusHandler,
  ],
})
export class TicketsModule {}
