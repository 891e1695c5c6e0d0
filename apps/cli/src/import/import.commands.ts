import { randomUUID } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CliInputError, out, runCommand, withStore } from '../cli-context';
import { CliSettings } from '../cli.config';
import { CATALOG_COLUMNS, importCatalog } from './import-catalog';
import { importSales, SALES_COLUMNS } from './import-sales';

interface ImportCatalogOptions {
  catalogVersion?: string;
  publishedAt?: string;
  dryRun?: boolean;
}

@Command({
  name: 'import-catalog',
  arguments: '<csv>',
  description:
    `Publish a new covered-list (catalog) version from a CSV; every row is validated first, nothing is stored if one is bad.\n` +
    `Columns: ${CATALOG_COLUMNS.join(',')}`,
})
export class ImportCatalogCommand extends CommandRunner {
  constructor(private readonly settings: CliSettings) {
    super();
  }

  async run([file]: string[], options: ImportCatalogOptions = {}): Promise<void> {
    await runCommand(async () => {
      if (!file) throw new CliInputError('CSV file missing');
      if (!options.catalogVersion)
        throw new CliInputError('--catalog-version <label> is required (e.g. 2025-04)');
      if (!options.publishedAt) throw new CliInputError('--published-at <YYYY-MM-DD> is required');
      const version = options.catalogVersion;
      const publishedAt = options.publishedAt;
      const result = await withStore(this.settings.store(), (store) =>
        importCatalog(store, {
          file,
          version,
          publishedAt,
          now: new Date().toISOString(),
          operator: this.settings.operator(),
          correlationId: randomUUID(),
          dryRun: options.dryRun ?? false,
        }),
      );
      out(
        options.dryRun
          ? `valid: catalog version ${result.version} with ${result.entries} models (${result.onCoveredList} on the covered list); dry run, nothing stored`
          : `published catalog version ${result.version}: ${result.entries} models, ${result.onCoveredList} on the covered list (catalog stream revision ${result.revision})`,
      );
    });
  }

  @Option({
    flags: '--catalog-version <label>',
    description: 'label of the new version, unique (e.g. 2025-04)',
  })
  parseVersion(v: string): string {
    return v;
  }

  @Option({ flags: '--published-at <date>', description: 'date the version takes effect (YYYY-MM-DD)' })
  parsePublishedAt(v: string): string {
    return v;
  }

  @Option({ flags: '--dry-run', description: 'validate only' })
  parseDryRun(): boolean {
    return true;
  }
}

@Command({
  name: 'import-sales',
  arguments: '<csv>',
  description:
    `Record unit sales (serial sold to a partner) from a CSV; all rows validated first, all or nothing; re-running the same file appends only what is missing.\n` +
    `Columns: ${SALES_COLUMNS.join(',')}`,
})
export class ImportSalesCommand extends CommandRunner {
  constructor(private readonly settings: CliSettings) {
    super();
  }

  async run([file]: string[], options: { dryRun?: boolean } = {}): Promise<void> {
    await runCommand(async () => {
      if (!file) throw new CliInputError('CSV file missing');
      const result = await withStore(this.settings.store(), (store) =>
        importSales(store, {
          file,
          now: new Date().toISOString(),
          operator: this.settings.operator(),
          correlationId: randomUUID(),
          dryRun: options.dryRun ?? false,
        }),
      );
      out(
        options.dryRun
          ? `valid: ${result.rows} rows (${result.alreadyImported} already imported); dry run, nothing stored`
          : `imported ${result.appended} unit sale(s) from ${result.rows} rows (${result.alreadyImported} already imported earlier)`,
      );
    });
  }

  @Option({ flags: '--dry-run', description: 'validate only' })
  parseDryRun(): boolean {
    return true;
  }
}
