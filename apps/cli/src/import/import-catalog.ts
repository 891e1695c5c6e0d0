import {
  CATALOG_STREAM,
  catalogDecider,
  type CatalogEntry,
  type CatalogState,
  normaliseModelNumber,
  PRODUCT_CATEGORIES,
  type ProductCategory,
  validateCatalogEntry,
} from '@app/domain';
import { randomUUID } from 'node:crypto';
import {
  aggregateStream,
  type EventStore,
  handleCommand,
  type NewEvent,
  type RecordedEvent,
} from '@app/event-store';
import { CliInputError } from '../cli-context';
import { CsvRejectedError, parseBool, readCsv, type RowError, RowRefusal, rowErrorOf } from './csv-import';
import type { ImportRequest } from './csv-import';

/**
 * Covered-list CSV: one row per model of the catalog version being published (the whole list, not a diff):
 *   model_number      e.g. WV-S1136 (unique in the file, compared ignoring case and spaces)
 *   name              product name
 *   category          camera | recorder | accessory | bracket | sd_card | part
 *   on_covered_list   Partners Circle 5-year covered list (対象品番リスト): true/false
 *   product_warranty  1-year product warranty applies (false for brackets 金具 etc.): true/false
 *   repairable        false for brackets, SD cards...: true/false
 *   repair_scheme     replacement | pickup_repair when repairable; empty when not
 */
export const CATALOG_COLUMNS = [
  'model_number',
  'name',
  'category',
  'on_covered_list',
  'product_warranty',
  'repairable',
  'repair_scheme',
] as const;

/** The api's PublishCatalogVersion and this import share the stream, named with its aggregate. */
export { CATALOG_STREAM };

/** The catalog stream and its state (every published version); the sales import checks models against it. */
export async function readCatalog(
  store: EventStore,
): Promise<{ readonly history: RecordedEvent[]; readonly state: CatalogState }> {
  const { history, state } = await aggregateStream(store, CATALOG_STREAM, catalogDecider);
  return { history, state };
}

const FIELD_TO_COLUMN: Record<string, string> = {
  modelNumber: 'model_number',
  name: 'name',
  category: 'category',
  onCoveredList: 'on_covered_list',
  productWarranty: 'product_warranty',
  repairable: 'repairable',
  repairScheme: 'repair_scheme',
};

export interface CatalogImportRequest extends ImportRequest {
  readonly version: string;
  readonly publishedAt: string;
}

export interface CatalogImportResult {
  readonly version: string;
  readonly entries: number;
  readonly onCoveredList: number;
  readonly revision: number | null;
}

function entryOf(v: Readonly<Record<string, string>>): CatalogEntry {
  const category = v['category'] ?? '';
  if (!(PRODUCT_CATEGORIES as readonly string[]).includes(category))
    throw new RowRefusal(
      'category',
      `${JSON.stringify(category)} is not one of ${PRODUCT_CATEGORIES.join(', ')}`,
    );
  const scheme = v['repair_scheme'] ?? '';
  if (scheme !== '' && scheme !== 'replacement' && scheme !== 'pickup_repair')
    throw new RowRefusal(
      'repair_scheme',
      `${JSON.stringify(scheme)} is not replacement, pickup_repair or empty`,
    );
  const name = v['name'] ?? '';
  if (name === '') throw new RowRefusal('name', 'must not be empty');
  return {
    modelNumber: v['model_number'] ?? '',
    name,
    category: category as ProductCategory,
    onCoveredList: parseBool(v['on_covered_list'] ?? '', 'on_covered_list'),
    productWarranty: parseBool(v['product_warranty'] ?? '', 'product_warranty'),
    repairable: parseBool(v['repairable'] ?? '', 'repairable'),
    repairScheme: scheme === '' ? null : scheme,
  };
}

/**
 * Validates every row (all errors reported, with line numbers), then decides PublishCatalogVersion with the
 * domain's decider on the catalog stream's current state and appends with the revision it was decided on.
 * Any bad row: nothing is appended.
 */
export async function importCatalog(
  store: EventStore,
  req: CatalogImportRequest,
): Promise<CatalogImportResult> {
  const csv = await readCsv(req.file, CATALOG_COLUMNS);
  const errors: RowError[] = [];
  const entries: CatalogEntry[] = [];
  const seen = new Map<string, number>();
  for (const row of csv.rows) {
    try {
      const entry = entryOf(row.values);
      validateCatalogEntry(entry, 'entry');
      const key = normaliseModelNumber(entry.modelNumber);
      const first = seen.get(key);
      if (first !== undefined) throw new RowRefusal('model_number', `duplicate of line ${first}`);
      seen.set(key, row.line);
      entries.push(entry);
    } catch (error) {
      errors.push(
        rowErrorOf(row.line, error, (f) => FIELD_TO_COLUMN[f.replace(/^entry\./, '')] ?? (f || '-')),
      );
    }
  }
  if (errors.length > 0) throw new CsvRejectedError(req.file, errors);

  const result = {
    version: req.version,
    entries: entries.length,
    onCoveredList: entries.filter((e) => e.onCoveredList).length,
  };
  // The one command pipeline: read the catalog stream, decide PublishCatalogVersion, append at the revision
  // it was decided on (a dry run stops before the append).
  const done = await handleCommand(
    store,
    CATALOG_STREAM,
    catalogDecider,
    (state) => {
      try {
        return catalogDecider.decide(
          {
            type: 'PublishCatalogVersion',
            data: { version: req.version, publishedAt: req.publishedAt, entries },
            metadata: { now: req.now, actor: { kind: 'system', component: 'import-catalog' } },
          },
          state,
        );
      } catch (error) {
        const e = rowErrorOf(0, error, (f) =>
          f === 'version'
            ? '--catalog-version'
            : f === 'publishedAt'
              ? '--published-at'
              : f || '--catalog-version',
        );
        throw new CliInputError(`${e.column}: ${e.message}; nothing imported`);
      }
    },
    {
      dryRun: req.dryRun,
      toNewEvents: (decided) =>
        decided.map((e) => ({
          id: randomUUID(),
          type: e.type,
          schemaVersion: e.schemaVersion,
          // Domain data is plain JSON by construction; the port's JsonValue type cannot see that.
          data: e.data as unknown as NewEvent['data'],
          metadata: {
            correlationId: req.correlationId,
            causationId: `csv:sha256:${csv.sha256}`,
            actor: `system:import-catalog:${req.operator}`,
          },
        })),
    },
  );
  return { ...result, revision: req.dryRun ? null : done.revision };
}
