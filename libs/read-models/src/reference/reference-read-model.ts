import type { CatalogEntry, CatalogVersion, PartnerState, UnitSale } from '@app/domain';
import type { DataSource } from 'typeorm';
import { CatalogVersionEntity } from './catalog-version.entity';
import { type MembershipPeriod, PartnerEntity } from './partner.entity';
import { UnitSaleEntity } from './unit-sale.entity';

/** A partner with its membership history (versioned by name: see tickets/ticket-details.ts). */
export interface PartnerV1 {
  readonly partnerId: string;
  readonly name: string;
  readonly certifiedOn: string | null;
  readonly memberships: readonly MembershipPeriod[];
  /** Stream revision of the partner record last applied. */
  readonly revision: number;
}

/** A sales record: which partner a serial was sold to, and when. */
export interface UnitSaleV1 {
  readonly serial: string;
  readonly modelNumber: string;
  readonly partnerId: string;
  readonly saleDate: string;
  readonly soldInJapan: boolean;
}

/** A catalog version without its entries (the list of versions). */
export interface CatalogVersionSummaryV1 {
  readonly version: string;
  readonly publishedAt: string;
  readonly recordedAt: string;
  readonly entryCount: number;
}

export interface CatalogVersionV1 extends CatalogVersionSummaryV1 {
  readonly entries: unknown;
}

/**
 * The views above from the domain's own records: the reference projection stores these (reference.projection.ts),
 * and the api answers a reference write with them (from the state the command decided), so a write answers with
 * exactly what the record's GET then shows.
 */
export function partnerV1Of(state: PartnerState, revision: number): PartnerV1 | null {
  // Only a registered partner has a record to show (every other partner command is refused before it).
  if (state.partnerId === null || state.name === null) return null;
  return {
    partnerId: state.partnerId,
    name: state.name,
    certifiedOn: state.certifiedOn,
    memberships: state.memberships,
    revision,
  };
}

export function unitSaleV1Of(sale: UnitSale): UnitSaleV1 {
  return {
    serial: sale.serialNumber,
    modelNumber: sale.modelNumber,
    partnerId: sale.partnerId,
    saleDate: sale.saleDate,
    soldInJapan: sale.soldInJapan,
  };
}

/** `recordedAt`: when the store recorded the publication (every read of the store gives it to the millisecond). */
export function catalogVersionV1Of(version: CatalogVersion, recordedAt: string): CatalogVersionV1 {
  return {
    version: version.version,
    publishedAt: version.publishedAt,
    recordedAt,
    entryCount: version.entries.length,
    entries: version.entries,
  };
}

/**
 * The query port of the reference read models (partners, unit sales, catalog versions): the api's reference
 * routes and the warranty status read these. Filing reads the same tables through FilingFactsReader, batched.
 */
export abstract class ReferenceReadModel {
  /** By partner id. */
  abstract partners(): Promise<PartnerV1[]>;
  abstract partner(partnerId: string): Promise<PartnerV1 | null>;
  /** The partner record in the domain's shape (for membership rules). */
  abstract partnerState(partnerId: string): Promise<PartnerState | null>;
  abstract saleOf(serialNumber: string): Promise<UnitSaleV1 | null>;
  /** Newest first (publication date, then recording time). */
  abstract catalogVersions(): Promise<CatalogVersionSummaryV1[]>;
  abstract catalogVersion(version: string): Promise<CatalogVersionV1 | null>;
  /** The catalog version in force on `date`: the latest published on or before it, the last recorded on ties. */
  abstract catalogInForce(date: string): Promise<CatalogVersion | null>;
}

export class SqlReferenceReadModel extends ReferenceReadModel {
  constructor(private readonly db: DataSource) {
    super();
  }

  async partners(): Promise<PartnerV1[]> {
    return (await this.db.getRepository(PartnerEntity).find({ order: { partnerId: 'ASC' } })).map(toPartner);
  }

  async partner(partnerId: string): Promise<PartnerV1 | null> {
    const row = await this.db.getRepository(PartnerEntity).findOneBy({ partnerId });
    return row && toPartner(row);
  }

  async partnerState(partnerId: string): Promise<PartnerState | null> {
    const row = await this.db.getRepository(PartnerEntity).findOneBy({ partnerId });
    if (!row) return null;
    return {
      partnerId: row.partnerId,
      name: row.name,
      memberships: row.memberships,
      certifiedOn: row.certifiedOn,
      version: row.revision + 1,
    };
  }

  async saleOf(serialNumber: string): Promise<UnitSaleV1 | null> {
    const row = await this.db.getRepository(UnitSaleEntity).findOneBy({ serial: serialNumber });
    return (
      row && {
        serial: row.serial,
        modelNumber: row.modelNumber,
        partnerId: row.partnerId,
        saleDate: row.saleDate,
        soldInJapan: row.soldInJapan,
      }
    );
  }

  async catalogVersions(): Promise<CatalogVersionSummaryV1[]> {
    const rows = await this.db.getRepository(CatalogVersionEntity).find({
      select: { version: true, publishedAt: true, recordedAt: true, entryCount: true },
      order: { publishedAt: 'DESC', recordedAt: 'DESC' },
    });
    return rows.map((r) => ({
      version: r.version,
      publishedAt: r.publishedAt,
      recordedAt: r.recordedAt.toISOString(),
      entryCount: r.entryCount,
    }));
  }

  async catalogVersion(version: string): Promise<CatalogVersionV1 | null> {
    const r = await this.db.getRepository(CatalogVersionEntity).findOneBy({ version });
    return (
      r && {
        version: r.version,
        publishedAt: r.publishedAt,
        recordedAt: r.recordedAt.toISOString(),
        entries: r.entries,
        entryCount: r.entryCount,
      }
    );
  }

  async catalogInForce(date: string): Promise<CatalogVersion | null> {
    const row = await this.db
      .getRepository(CatalogVersionEntity)
      .createQueryBuilder('c')
      .where('c.published_at <= :date', { date })
      .orderBy('c.published_at', 'DESC')
      .addOrderBy('c.recorded_at', 'DESC')
      .getOne();
    return row
      ? { version: row.version, publishedAt: row.publishedAt, entries: row.entries as CatalogEntry[] }
      : null;
  }
}

function toPartner(row: PartnerEntity): PartnerV1 {
  return {
    partnerId: row.partnerId,
    name: row.name,
    certifiedOn: row.certifiedOn,
    memberships: row.memberships,
    revision: row.revision,
  };
}
