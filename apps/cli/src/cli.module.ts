import { Module } from '@nestjs/common';
import { AnchorCommand, AnchorProofCommand } from './audit/anchor.command';
import { ExportAuditCommand } from './audit/export-audit.command';
import { TicketHistoryCommand } from './audit/ticket-history.command';
import { VerifyCommand } from './audit/verify.command';
import { ImportCatalogCommand, ImportSalesCommand } from './import/import.commands';
import { RebuildProjectionsCommand } from './operations/rebuild-projections.command';
import { VerifyProjectionsCommand } from './operations/verify-projections.command';

/** Each command opens what it needs (event store, read-model database) and closes it before it returns. */
@Module({
  providers: [
    VerifyCommand,
    AnchorCommand,
    AnchorProofCommand,
    TicketHistoryCommand,
    ExportAuditCommand,
    RebuildProjectionsCommand,
    VerifyProjectionsCommand,
    ImportCatalogCommand,
    ImportSalesCommand,
  ],
})
export class CliModule {}
