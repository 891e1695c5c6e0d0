import {
  type CalendarDate,
  type CatalogEntry,
  catalogFactFor,
  type CatalogFact,
  type CatalogVersion,
  type PartnerState,
  type SaleRecord,
} from '@app/domain';
import type { DataSource } from 'typeorm';

/**
 * What filing needs from reference data; `partner` is the partner the unit was sold to (null without a sale).
 * The domain's `assessmentFactsFor` applies the rules for what is not on record.
 */
export interface FilingFacts {
  readonly sale: SaleRecord | null;
  readonly partner: PartnerState | null;
  /** Null when no catalog version was published on or before the date. */
  readonly catalogFact: (modelNumber: string) => CatalogFact | null;
}

interface FactsRow {
  sale: SaleRecord | null;
  partner: {
    partnerId: string;
    name: string;
    certifiedOn: CalendarDate | null;
    memberships: PartnerState['memberships'];
    revision: number;
  } | null;
  catalog_version: string | null;
}

/** Catalog versions kept in memory (a handful exist at any time), and model lookups memoised per version. */
const MAX_CACHED_VERSIONS = 8;
const MAX_MEMOISED_MODELS = 2000;

/** Filings whose facts one statement reads at most (bounds the statement's size). */
const MAX_BATCH = 64;
/** Statements in flight at once (as the append's group commit): one is answered while the next one fills. */
const MAX_IN_FLIGHT = 2;

interface PendingRead {
  readonly serialNumber: string;
  readonly today: CalendarDate;
  readonly resolve: (row: FactsRow | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The reference facts of a filing (the same reads as ReferenceReadModel's saleOf, partnerState and catalogInForce, same
 * rules) in one statement, because on the command path every round trip costs (see bench:http). Filings that
 * arrive while MAX_IN_FLIGHT reads are in flight wait for one and then share ONE statement (the append's group commit, for
 * reads): a lone filing is read at once, and under load a statement serves several. Facts read in the same
 * statement come from one snapshot, as a single filing's always did.
 * A catalog version's entries are read once and kept by version name: a published version never changes
 * (the projection keeps the first publication of a name, a rebuild replays the same first one).
 */
export class FilingFactsReader {
  private readonly catalogs = new Map<string, { version: CatalogVersion; facts: Map<string, CatalogFact> }>();
  private readonly pending: PendingRead[] = [];
  private inFlight = 0;

  constructor(private readonly db: DataSource) {}

  async read(serialNumber: string, today: CalendarDate): Promise<FilingFacts> {
    const row = await new Promise<FactsRow | undefined>((resolve, reject) => {
      this.pending.push({ serialNumber, today, resolve, reject });
      this.flush();
    });
    const p = row?.partner ?? null;
    const catalog = row?.catalog_version ? await this.catalog(row.catalog_version) : null;
    return {
      sale: row?.sale ?? null,
      partner: p && {
        partnerId: p.partnerId,
        name: p.name,
        memberships: p.memberships,
        certifiedOn: p.certifiedOn,
        version: p.revision + 1,
      },
      catalogFact: (modelNumber: string): CatalogFact | null => {
        if (!catalog) return null;
        let fact = catalog.facts.get(modelNumber);
        if (!fact) {
          fact = catalogFactFor(catalog.version, modelNumber);
          // Bounded: model numbers come from callers.
          if (catalog.facts.size >= MAX_MEMOISED_MODELS) catalog.facts.clear();
          catalog.facts.set(modelNumber, fact);
        }
        return fact;
      },
    };
  }

  private flush(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.pending.length === 0) return;
    const batch = this.pending.splice(0, MAX_BATCH);
    this.inFlight++;
    this.query(batch)
      .then(
        (rows) => batch.forEach((r, i) => r.resolve(rows[i])),
        (error: unknown) => batch.forEach((r) => r.reject(error)),
      )
      .finally(() => {
        this.inFlight--;
        this.flush();
      });
  }

  /** One row per read, in order. */
  private async query(batch: readonly PendingRead[]): Promise<(FactsRow | undefined)[]> {
    const rows: (FactsRow & { i: string })[] = await this.db.query(
      `SELECT q.i,
         (SELECT json_build_object('modelNumber', s.model_number, 'partnerId', s.partner_id,
                                   'saleDate', s.sale_date, 'soldInJapan', s.sold_in_japan)
            FROM unit_sale_view s WHERE s.serial = q.serial) AS sale,
         (SELECT json_build_object('partnerId', p.partner_id, 'name', p.name, 'certifiedOn', p.certified_on,
                                   'memberships', p.memberships, 'revision', p.revision)
            FROM unit_sale_view s JOIN partner_view p ON p.partner_id = s.partner_id
           WHERE s.serial = q.serial) AS partner,
         (SELECT c.version FROM catalog_version_view c WHERE c.published_at <= q.today
           ORDER BY c.published_at DESC, c.recorded_at DESC LIMIT 1) AS catalog_version
       FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS q(serial, today, i)`,
      [batch.map((r) => r.serialNumber), batch.map((r) => r.today)],
    );
    const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
    return batch.map((_, i) => byIndex.get(i + 1));
  }

  private async catalog(
    version: string,
  ): Promise<{ version: CatalogVersion; facts: Map<string, CatalogFact> } | null> {
    const cached = this.catalogs.get(version);
    if (cached) return cached;
    const rows: { version: string; published_at: CalendarDate; entries: CatalogEntry[] }[] =
      await this.db.query(
        `SELECT version, published_at, entries FROM catalog_version_view WHERE version = $1`,
        [version],
      );
    const row = rows[0];
    if (!row) return null; // dropped meanwhile (a rebuild): treated as not published, as the query would
    if (this.catalogs.size >= MAX_CACHED_VERSIONS) this.catalogs.clear();
    const entry = {
      version: { version: row.version, publishedAt: row.published_at, entries: row.entries },
      facts: new Map<string, CatalogFact>(),
    };
    this.catalogs.set(version, entry);
    return entry;
  }
}
