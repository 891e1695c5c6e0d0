import { randomUUID } from 'node:crypto';
import { Command, CommandRunner } from 'nest-commander';
import { CliInputError, out, runCommand, withStore } from '../cli-context';
import { CliSettings } from '../cli.config';
import { CommandOptions } from '../command-options';
import type { ImportRequest } from './csv-import';
import { CATALOG_COLUMNS, importCatalog } from './import-catalog';
import { importSales, SALES_COLUMNS } from './import-sales';

interface ImportCatalogOptions {
  catalogVersion?: string;
  publishedAt?: string;
  dryRun?: boolean;
}

const DRY_RUN = { flags: '--dry-run', description: 'validate only' } as const;

/** The part of an import request every import command fills the same way: who runs it, now, one correlation id. */
function importRequest(
  settings: CliSettings,
  file: string | undefined,
  dryRun: boolean | undefined,
): ImportRequest {
  if (!file) throw new CliInputError('CSV file missing');
  return {
    file,
    now: new Date().toISOString(),
    operator: settings.operator(),
    correlationId: randomUUID(),
    dryRun: dryRun ?? false,
  };
}

@Command({
  name: 'import-catalog',
  arguments: '<csv>',
  description:
    `Publish a new covered-list (catalog) version from a CSV; every row is validated first, nothing is stored if one is bad.\n` +
    `Columns: ${CATALOG_COLUMNS.join(',')}`,
})
@CommandOptions(
  { flags: '--catalog-version <label>', description: 'label of the new version, unique (e.g. 2025-04)' },
  { flags: '--published-at <date>', description: 'date the version takes effect (YYYY-MM-DD)' },
  DRY_RUN,
)
export class ImportCatalogCommand extends CommandRunner {
  constructor(private readonly settings: CliSettings) {
    super();
  }

  async run([file]: string[], options: ImportCatalogOptions = {}): Promise<void> {
    await runCommand(async () => {
      const request = importRequest(this.settings, file, options.dryRun);
      if (!options.catalogVersion)
        throw new CliInputError('--catalog-version <label> is required (e.g. 2025-04)');
      if (!options.publishedAt) throw new CliInputError('--published-at <YYYY-MM-DD> is required');
      const version = options.catalogVersion;
      const publishedAt = options.publishedAt;
      const result = await withStore(this.settings.store(), (store) =>
        importCatalog(store, { ...request, version, publishedAt }),
      );
      out(
        request.dryRun
          ? `valid: catalog version ${result.version} with ${result.entries} models (${result.onCoveredList} on the covered list); dry run, nothing stored`
          : `published catalog version ${result.version}: ${result.entries} models, ${result.onCoveredList} on the covered list (catalog stream revision ${result.revision})`,
      );
    });
  }
}

@Command({
  name: 'import-sales',
  arguments: '<csv>',
  description:
    `Record unit sales (serial sold to a partner) from a CSV; all rows validated first, all or nothing; re-running the same file appends only what is missing.\n` +
    `Columns: ${SALES_COLUMNS.join(',')}`,
})
@CommandOptions(DRY_RUN)
export class ImportSalesCommand extends CommandRunner {
  constructor(private readonly settings: CliSettings) {
    super();
  }

  async run([file]: string[], options: { dryRun?: boolean } = {}): Promise<void> {
    await runCommand(async () => {
      const request = importRequest(this.settings, file, options.dryRun);
      const result = await withStore(this.settings.store(), (store) => importSales(store, request));
      out(
        request.dryRun
          ? `valid: ${result.rows} rows (${result.alreadyImported} already imported); dry run, nothing stored`
          : `imported ${result.appended} unit sale(s) from ${result.rows} rows (${result.alreadyImported} already imported earlier)`,
      );
    });
  }
}
