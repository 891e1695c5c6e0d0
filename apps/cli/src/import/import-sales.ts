import {
  catalogKnowsModel,
  partnerStream,
  unitSaleDecider,
  type UnitSaleEvent,
  unitSaleStream,
} from '@app/domain';
import { aggregateStream, type EventStore, handleCommand } from '@app/event-store';
import {
  CsvRejectedError,
  deterministicEventId,
  type ImportRequest,
  parseBool,
  readCsv,
  type RowError,
  RowRefusal,
  rowErrorOf,
} from './csv-import';
import { readCatalog } from './import-catalog';

/**
 * Unit sales CSV: one row per unit (serial) sold to a partner:
 *   serial_number   unique in the file; a serial already recorded is refused
 *   model_number    e.g. WV-S1136
 *   partner_id      a registered partner (partner-<id> stream exists)
 *   sale_date       YYYY-MM-DD (decides Partners Circle membership at the sale)
 *   sold_in_japan   true/false (the product warranty needs sold and used in Japan)
 */
export const SALES_COLUMNS = [
  'serial_number',
  'model_number',
  'partner_id',
  'sale_date',
  'sold_in_japan',
] as const;

/** The api's RecordUnitSale and this import share the streams, named with their aggregate. */
export { unitSaleStream };

const FIELD_TO_COLUMN: Record<string, string> = {
  serialNumber: 'serial_number',
  modelNumber: 'model_number',
  partnerId: 'partner_id',
  saleDate: 'sale_date',
  soldInJapan: 'sold_in_japan',
};

export type SalesImportRequest = ImportRequest;

export interface SalesImportResult {
  readonly rows: number;
  readonly appended: number;
  /** Rows stored by an earlier run of the same data (same deterministic event id): skipped. */
  readonly alreadyImported: number;
}

interface Planned {
  readonly stream: string;
  readonly id: string;
  readonly event: UnitSaleEvent;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T);
      }
    }),
  );
  return results;
}

/**
 * All or nothing: every row is parsed and decided (RecordUnitSale through the domain's decider, on the
 * serial's current stream) and every partner looked up BEFORE the first append; one bad row and nothing is
 * appended. Each event id is derived from the row's content, so if appends are cut short (a crash, a
 * concurrent writer), running the same file again appends only what is missing.
 */
export async function importSales(store: EventStore, req: SalesImportRequest): Promise<SalesImportResult> {
  const csv = await readCsv(req.file, SALES_COLUMNS);
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const partners = new Map<string, Promise<boolean>>();
  const partnerExists = (id: string): Promise<boolean> => {
    let known = partners.get(id);
    if (!known) {
      known = store.streamRevision(partnerStream(id)).then((r) => r !== undefined);
      partners.set(id, known);
    }
    return known;
  };
  // The catalog, read once: a sale's model must be in a published version (the decider's rule, as in the api).
  const { state: catalog } = await readCatalog(store);
  const outcomes = await mapLimit(csv.rows, 8, async (row): Promise<Planned | 'stored' | undefined> => {
    const v = row.values;
    try {
      const serial = v['serial_number'] ?? '';
      if (serial === '') throw new RowRefusal('serial_number', 'must not be empty');
      const first = seen.get(serial);
      if (first !== undefined && first !== row.line)
        throw new RowRefusal('serial_number', `duplicate of line ${first}`);
      seen.set(serial, row.line);
      const sale = {
        serialNumber: serial,
        modelNumber: v['model_number'] ?? '',
        partnerId: v['partner_id'] ?? '',
        saleDate: v['sale_date'] ?? '',
        soldInJapan: parseBool(v['sold_in_japan'] ?? '', 'sold_in_japan'),
      };
      const stream = unitSaleStream(serial);
      const id = deterministicEventId('import-sales', ...Object.values(sale).map(String));
      const { history, state } = await aggregateStream(store, stream, unitSaleDecider);
      if (history.length === 1 && history[0]?.id === id) return 'stored';
      const [event] = unitSaleDecider.decide(
        {
          type: 'RecordUnitSale',
          data: sale,
          facts: {
            partnerRegistered: sale.partnerId !== '' && (await partnerExists(sale.partnerId)),
            modelInCatalog: catalogKnowsModel(catalog, sale.modelNumber),
          },
          metadata: { now: req.now, actor: { kind: 'system', component: 'import-sales' } },
        },
        state,
      );
      if (!event) throw new Error('decider returned no event');
      return { stream, id, event };
    } catch (error) {
      errors.push(
        rowErrorOf(row.line, error, (f) =>
          // The decider's refusal without a field is "sale already recorded": the serial is the culprit.
          f === '' ? 'serial_number' : (FIELD_TO_COLUMN[f] ?? f),
        ),
      );
      return undefined;
    }
  });
  if (errors.length > 0)
    throw new CsvRejectedError(
      req.file,
      [...errors].sort((a, b) => a.line - b.line),
    );
  const planned = outcomes.filter((o): o is Planned => typeof o === 'object');
  const alreadyImported = outcomes.filter((o) => o === 'stored').length;
  if (req.dryRun) return { rows: csv.rows.length, appended: 0, alreadyImported };
  // Every row was decided above (all or nothing); each goes through the command pipeline as decided, on a
  // stream it expects not to exist, so a concurrent writer makes it fail instead of recording twice.
  await mapLimit(planned, 8, (p) =>
    handleCommand(store, p.stream, unitSaleDecider, () => [p.event], {
      expectedRevision: 'no_stream',
      toNewEvents: (events) =>
        events.map((e) => ({
          id: p.id,
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          metadata: {
            correlationId: req.correlationId,
            causationId: `csv:sha256:${csv.sha256}`,
            actor: `system:import-sales:${req.operator}`,
          },
        })),
    }),
  );
  return { rows: csv.rows.length, appended: planned.length, alreadyImported };
}
