import { type DynamicModule, Module } from '@nestjs/common';
import { AnchorCommand, AnchorProofCommand } from './audit/anchor.command';
import { ExportAuditCommand } from './audit/export-audit.command';
import { TicketHistoryCommand } from './audit/ticket-history.command';
import { VerifyCommand } from './audit/verify.command';
import { ImportCatalogCommand, ImportSalesCommand } from './import/import.commands';
import { RebuildProjectionsCommand } from './operations/rebuild-projections.command';
import { VerifyProjectionsCommand } from './operations/verify-projections.command';
import { CliSettings } from './cli.config';

const COMMANDS = [
  VerifyCommand,
  AnchorCommand,
  AnchorProofCommand,
  TicketHistoryCommand,
  ExportAuditCommand,
  RebuildProjectionsCommand,
  VerifyProjectionsCommand,
  ImportCatalogCommand,
  ImportSalesCommand,
];

/**
 * Each command opens what it needs (event store, read-model database) and closes it before it returns; the
 * configuration is parsed once by main.ts and handed to every command (CliSettings).
 */
@Module({})
export class CliModule {
  static forRoot(settings: CliSettings): DynamicModule {
    return { module: CliModule, providers: [{ provide: CliSettings, useValue: settings }, ...COMMANDS] };
  }
}
